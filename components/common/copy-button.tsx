"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Copies `text` to the clipboard; the label says what is copied (accessible name) and confirms. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard API refused (insecure origin): fall back to a selection copy.
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  }
  return (
    <Button size="sm" onClick={copy} aria-label={label}>
      {copied ? "Copied" : "Copy"}
    </Button>
  );
}

/** A monospace value with its copy button, e.g. a token or a shell command. */
export function CopyField({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <div className="copy-field">
      <code data-testid={testId}>{value}</code>
      <CopyButton text={value} label={label} />
    </div>
  );
}
