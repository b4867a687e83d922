"use client";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import type { JobListItem } from "@/lib/client/types";
import { TagInput } from "./tag-input";
import { loadTagRules, tagsProblem } from "./tag-validation";
import { useSetJobTags } from "./use-jobs-data";

/** Shown while rows are selected: add or remove one tag on all of them. */
export function BulkTagBar({
  jobs,
  onClear,
  children,
}: {
  jobs: JobListItem[];
  onClear: () => void;
  children?: React.ReactNode;
}) {
  const [tag, setTag] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const setTags = useSetJobTags();
  const toast = useToast();
  useEffect(() => {
    loadTagRules().catch(() => undefined);
  }, []);

  async function apply(mode: "add" | "remove") {
    const t = tag.trim();
    if (!t) return setError("Type a tag first");
    const changes = jobs
      .map((j) => ({ job: j, tags: mode === "add" ? [...new Set([...j.tags, t])] : j.tags.filter((x) => x !== t) }))
      .filter((c) => c.tags.length !== c.job.tags.length);
    // Validate every job before sending anything, so a bulk action is all-or-nothing where we can tell.
    for (const c of changes) {
      const problem = await tagsProblem(c.tags);
      if (problem) return setError(`${c.job.name}: ${problem}`);
    }
    setError(null);
    setPending(true);
    const results = await Promise.allSettled(changes.map((c) => setTags.mutateAsync({ id: c.job.id, tags: c.tags })));
    setPending(false);
    const failed = results.flatMap((r, i) =>
      r.status === "rejected" ? [`${changes[i].job.name}: ${(r.reason as Error).message}`] : [],
    );
    if (failed.length) {
      setError(failed.join("; "));
      toast({
        kind: "error",
        title: `${failed.length} of ${changes.length} jobs not updated`,
        message: failed.join("\n"),
      });
      return;
    }
    const n = changes.length;
    toast({
      kind: "success",
      title:
        mode === "add"
          ? `Tagged ${n} ${n === 1 ? "job" : "jobs"} with “${t}”`
          : `Removed “${t}” from ${n} ${n === 1 ? "job" : "jobs"}`,
    });
    setTag("");
  }

  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions">
      <strong>{jobs.length} selected</strong>
      <TagInput
        aria-label="Tag for selected jobs"
        placeholder="tag"
        value={tag}
        onChange={(e) => {
          setTag(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            void apply("add");
          }
        }}
      />
      <Button variant="primary" size="sm" loading={pending} onClick={() => apply("add")}>
        Add tag
      </Button>
      <Button size="sm" disabled={pending} onClick={() => apply("remove")}>
        Remove tag
      </Button>
      {children}
      <Button variant="ghost" size="sm" onClick={onClear}>
        Clear selection
      </Button>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
