// Bundles the agent (agent/cli.ts) into one self-contained ESM file with the Python runners
// embedded as text: `node benchboard-agent.mjs` needs nothing but Node.js ≥ 20.
//   node scripts/build-agent.mjs [OUTFILE]     (default dist/agent/benchboard-agent.mjs)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_AGENT_BUNDLE = path.join(ROOT, "dist/agent/benchboard-agent.mjs");

export async function buildAgentBundle(outfile = DEFAULT_AGENT_BUNDLE) {
  const quickMark = fs.readFileSync(path.join(ROOT, "agent/runners/quick_mark.py"), "utf8");
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  // Written beside the target and renamed: the dashboard never serves a half-written file.
  const tmp = `${outfile}.${process.pid}.tmp`;
  await build({
    absWorkingDir: ROOT,
    entryPoints: ["agent/cli.ts"],
    outfile: tmp,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    define: { __QUICK_MARK_PY__: JSON.stringify(quickMark) },
    banner: { js: "#!/usr/bin/env node\n// Benchboard agent (bundled): node benchboard-agent.mjs --help" },
    legalComments: "none",
    logLevel: "warning",
  });
  fs.renameSync(tmp, outfile);
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildAgentBundle(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`agent bundle: ${path.relative(process.cwd(), out)} (${fs.statSync(out).size} bytes)`);
}
