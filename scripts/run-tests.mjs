// Runs every *.test.ts with Node's own test runner (through tsx), one process per file.
// Node 20's --test takes no globs, so the files are found here.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const roots = ["test", "lib", "scripts", "agent"];
const filter = process.argv.slice(2);
const files = [];
function walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== "generated" && e.name !== "node_modules") walk(p);
    else if (e.name.endsWith(".test.ts") && (!filter.length || filter.some((f) => p.includes(f)))) files.push(p);
  }
}
roots.forEach(walk);
files.sort();
if (!files.length) {
  console.error("no test files found");
  process.exit(1);
}
// Node's default runs one file at a time on a 2-core machine (cores − 1), yet many files
// mostly wait (retries, restarts, ticks, child servers); every file has its own database and
// ports, so three at a time is safe and keeps both cores busy.
const concurrency = Math.max(3, os.availableParallelism());
// A test that fails can leave a handle open (a client reconnecting, a child server): the file
// still ends (--test-force-exit), and a test that hangs fails after ten minutes instead of
// holding CI until its limit.
const args = [
  "--import",
  "tsx",
  "--test",
  `--test-concurrency=${concurrency}`,
  "--test-force-exit",
  "--test-timeout=600000",
  "--test-reporter=spec",
  ...files,
];
const r = spawnSync(process.execPath, args, {
  stdio: "inherit",
});
process.exit(r.status ?? 1);
