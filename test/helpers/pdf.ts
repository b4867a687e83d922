import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Text of a PDF via poppler's pdftotext (layout kept, so table rows stay on one line). */
export function pdfText(bytes: Buffer): string {
  assert(bytes.subarray(0, 5).toString() === "%PDF-", "not a PDF");
  return execFileSync("pdftotext", ["-layout", "-", "-"], { input: bytes }).toString();
}

/**
 * How many pixels of every page, rendered by poppler's pdftoppm (a plain PPM per page, no
 * anti-aliasing), have exactly this colour: what a reader sees, not what the file says.
 */
export function pdfPixelsOfColor(bytes: Buffer, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const dir = mkdtempSync(join(tmpdir(), "pdf-pixels-"));
  try {
    execFileSync("pdftoppm", ["-r", "50", "-aa", "no", "-aaVector", "no", "-", join(dir, "page")], { input: bytes });
    let count = 0;
    for (const file of readdirSync(dir)) {
      const ppm = readFileSync(join(dir, file));
      // P6 header: magic, width, height, max value, each followed by one whitespace byte.
      let offset = 0;
      for (let fields = 0; fields < 4; offset++) if (/\s/.test(String.fromCharCode(ppm[offset]))) fields++;
      for (let i = offset; i + 2 < ppm.length; i += 3)
        if (ppm[i] === r && ppm[i + 1] === g && ppm[i + 2] === b) count++;
    }
    return count;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function assert(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}
