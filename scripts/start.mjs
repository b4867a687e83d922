// `npm start`: migrate, create demo data on first start, build when the sources changed
// since the last build, then serve. PORT (default 3000) chooses the port.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "generated" && e.name !== "node_modules") newest = Math.max(newest, newestMtime(p));
    } else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

run("npx", ["tsx", "scripts/db-migrate.ts"]);
run("npx", ["tsx", "scripts/db-seed.ts"]);
const built = fs.existsSync(".next/BUILD_ID") ? fs.statSync(".next/BUILD_ID").mtimeMs : 0;
const sources = Math.max(
  ...["app", "components", "lib", "public"].map(newestMtime),
  ...["package.json", "next.config.mjs"].map((f) => fs.statSync(f).mtimeMs),
);
if (sources > built) run("npx", ["next", "build"]);
else console.log("Build is up to date.");
// The agent bundle the dashboard serves at /agent/benchboard-agent.mjs (a second; always fresh).
run("node", ["scripts/build-agent.mjs"]);
const port = process.env.PORT ?? "3000";
console.log(`\nBenchboard on http://localhost:${port}`);
run("npx", ["next", "start", "-p", port]);
