// The npm registry mirror our build machines use serves only Linux builds of some
// platform-specific optional packages (e.g. @next/swc-darwin-*), so `npm install` here
// leaves them out of package-lock.json and `npm ci` then refuses the lock as out of sync.
// This adds the missing entries (os/cpu-restricted and optional, so npm skips them on
// Linux and fetches them on the platforms that need them). Run after changing dependencies:
//   npm install && node scripts/lockfile-add-foreign-platforms.mjs
import fs from "node:fs";

const PLATFORMS = {
  "darwin-arm64": { os: ["darwin"], cpu: ["arm64"] },
  "darwin-x64": { os: ["darwin"], cpu: ["x64"] },
  "win32-arm64-msvc": { os: ["win32"], cpu: ["arm64"] },
  "win32-x64-msvc": { os: ["win32"], cpu: ["x64"] },
};

const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
let added = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const m = dep.match(/^(@next\/swc)-(.+)$/);
    if (!m || !PLATFORMS[m[2]]) continue;
    const where = `${key ? key + "/" : ""}node_modules/${dep}`.replace(
      /^node_modules\/next\/node_modules\//,
      "node_modules/",
    );
    if (lock.packages[where] || lock.packages[`node_modules/${dep}`]) continue;
    lock.packages[`node_modules/${dep}`] = { version, ...PLATFORMS[m[2]], optional: true, engines: { node: ">= 10" } };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
fs.writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");
console.log(`added ${added} foreign-platform lock entries`);
