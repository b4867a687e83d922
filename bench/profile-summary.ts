// Summarises a V8 CPU profile (node --cpu-prof, e.g. BENCH_SERVER_NODE_ARGS of the agent
// benchmarks): self time grouped by where the code lives (Next.js, Prisma, pg, zod, our lib/,
// Node.js internals, garbage collection, idle) and the functions with the most self time.
//   npx tsx bench/profile-summary.ts .prof/ingest/*.cpuprofile [--top 25] [--window FROM,TO]
// --window keeps the samples taken between two moments, in microseconds of the monotonic clock
// that V8 stamps them with (what `process.hrtime.bigint() / 1000n` reads in any process on the
// machine): a load generator prints the moments around the part it wants to see.
import fs from "node:fs";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals: files } = parseArgs({
  args: process.argv.slice(2),
  options: { top: { type: "string" }, window: { type: "string" } },
  allowPositionals: true,
});
const TOP = Number(values.top ?? 25);
const [FROM, TO] = values.window ? values.window.split(",").map(Number) : [-Infinity, Infinity];
if (!files.length || !(FROM < TO))
  throw new Error("usage: bench/profile-summary.ts FILE.cpuprofile… [--top 25] [--window FROM_US,TO_US]");

/** Where a function's code lives, coarsely: what a reader needs to see whose time it is. */
function area(url: string, name: string): string {
  if (name === "(idle)" || name === "(program)" || name === "(garbage collector)") return name;
  if (!url) return "(native / V8)";
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  if (pkg) return pkg === "next" && /compiled\//.test(url) ? `next (bundled deps)` : pkg;
  if (url.startsWith("node:")) return "node: internals";
  if (/\.next\/server\/chunks/.test(url)) return "app bundle (.next/server/chunks: lib/, app/)";
  return url.replace(/^file:\/\//, "").replace(process.cwd() + "/", "");
}

for (const file of files) {
  const p = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i] ?? 0;
    if (at >= FROM && at <= TO) self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()]
    .filter(([id]) => byId.get(id)!.callFrame.functionName === "(idle)")
    .reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") continue;
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + t);
    const key = `${functionName || "(anonymous)"} ${a}${url ? `:${lineNumber + 1}` : ""}`;
    fns.set(key, (fns.get(key) ?? 0) + t);
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)} %`;
  console.log(`\n${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (idle left out)`);
  console.log("Self time by area:");
  for (const [a, t] of [...areas.entries()].sort((x, y) => y[1] - x[1]).slice(0, 20))
    console.log(`  ${pct(t)}  ${(t / 1e3).toFixed(0).padStart(7)} ms  ${a}`);
  console.log(`Top ${TOP} functions by self time:`);
  for (const [f, t] of [...fns.entries()].sort((x, y) => y[1] - x[1]).slice(0, TOP))
    console.log(`  ${pct(t)}  ${(t / 1e3).toFixed(0).padStart(7)} ms  ${f}`);
}
