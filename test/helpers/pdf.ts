import { execFileSync } from "node:child_process";

/** Text of a PDF via poppler's pdftotext (layout kept, so table rows stay on one line). */
export function pdfText(bytes: Buffer): string {
  assert(bytes.subarray(0, 5).toString() === "%PDF-", "not a PDF");
  return execFileSync("pdftotext", ["-layout", "-", "-"], { input: bytes }).toString();
}

function assert(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}
