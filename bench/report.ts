// The figures table: printed as it fills, and written to bench/results/ as JSON and markdown.
import fs from "node:fs";
import path from "node:path";

/** docs/performance-budget.md: every case ≤ 50 ms p95 over HTTP. */
export const TARGET_P95_MS = 50;
/** docs/performance-budget.md: per-request overhead (HTTP − its SQL − the framework floor) ≤ 2 ms p50. */
export const TARGET_OVERHEAD_MS = 2;

export interface CaseResult {
  name: string;
  caller: string;
  path: string;
  http: { p50: number; p95: number };
  sql: { p50: number; p95: number };
  /** The framework floor's request, sampled in blocks alternating with this case's (bench/measure.ts) */
  floor: { p50: number; p95: number };
  /** HTTP p50 − SQL p50 − the floor's p50: what the app adds to its own statements */
  overhead: number;
  /** Whether the overhead target applies (list, stats, tags, detail) or is shown for information */
  overheadTarget: boolean;
  statements: number;
  /** HTTP samples taken (fewer for cases far over budget, see bench/measure.ts) */
  samples: number;
  bytes: number;
  /** HTTP p95 / SQL p95, for information */
  ratio: number;
  pass: boolean;
}

export function verdict(
  http: { p50: number; p95: number },
  sql: { p50: number; p95: number },
  floorP50: number,
  overheadTarget: boolean,
): Pick<CaseResult, "ratio" | "overhead" | "pass"> {
  const ratio = http.p95 / Math.max(sql.p95, 0.001);
  const overhead = http.p50 - sql.p50 - floorP50;
  const pass = http.p95 <= TARGET_P95_MS && (!overheadTarget || overhead <= TARGET_OVERHEAD_MS);
  return { ratio, overhead, pass };
}

const f = (ms: number) => ms.toFixed(1);
const HEADER = ["case", "caller", "HTTP p50", "HTTP p95", "SQL p50", "SQL p95", "floor p50", "overhead p50", "result"];

export function failures(r: CaseResult): string[] {
  return [
    r.http.p95 > TARGET_P95_MS ? `FAIL p95 >${TARGET_P95_MS} ms` : "",
    r.overheadTarget && r.overhead > TARGET_OVERHEAD_MS ? `FAIL overhead >${TARGET_OVERHEAD_MS} ms` : "",
  ].filter(Boolean);
}

export function row(r: CaseResult): string[] {
  const why = r.pass ? "PASS" : failures(r).join(", ");
  // An overhead without a target is shown in brackets: measured, not judged.
  const overhead = r.overheadTarget ? f(r.overhead) : `(${f(r.overhead)})`;
  return [r.name, r.caller, f(r.http.p50), f(r.http.p95), f(r.sql.p50), f(r.sql.p95), f(r.floor.p50), overhead, why];
}

export function printHeader(): void {
  console.log(
    `\n${HEADER[0].padEnd(44)} ${HEADER[1].padEnd(6)} ${HEADER.slice(2, 8)
      .map((h) => h.padStart(9))
      .join(" ")}  ${HEADER[8]}`,
  );
}

export function printRow(r: CaseResult): void {
  const c = row(r);
  console.log(
    `${c[0].padEnd(44)} ${c[1].padEnd(6)} ${c
      .slice(2, 8)
      .map((x) => x.padStart(9))
      .join(" ")}  ${c[8]}`,
  );
}

export function markdownTable(results: CaseResult[]): string {
  const lines = [
    `| ${HEADER.join(" | ")} |`,
    `| ${HEADER.map((_, i) => (i < 2 || i === HEADER.length - 1 ? "---" : "---:")).join(" | ")} |`,
  ];
  for (const r of results) lines.push(`| ${row(r).join(" | ")} |`);
  return lines.join("\n");
}

export function writeResults(
  dir: string,
  report: Record<string, unknown> & { results: CaseResult[]; notes: string[] },
): { json: string; md: string } {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const json = path.join(dir, `bench-${stamp}.json`);
  const md = path.join(dir, `bench-${stamp}.md`);
  fs.writeFileSync(json, JSON.stringify(report, null, 2));
  const meta = Object.entries(report)
    .filter(([k]) => k !== "results" && k !== "notes")
    .map(([k, v]) => `- ${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join("\n");
  fs.writeFileSync(
    md,
    `# Benchboard benchmark\n\n${meta}\n\n${markdownTable(report.results)}\n\n${report.notes.map((n) => `- ${n}`).join("\n")}\n`,
  );
  fs.copyFileSync(md, path.join(dir, "latest.md"));
  fs.copyFileSync(json, path.join(dir, "latest.json"));
  return { json, md };
}
