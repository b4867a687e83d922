// npm run lint:openapi — lints the OpenAPI document with Redocly CLI (recommended rules plus
// redocly.yaml). The document is built in-process from the route registry, the same code that
// serves GET /api/silicon-mark/v1/openapi.json, so no server is needed.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { openApiDocument } from "../lib/openapi/document";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "benchboard-openapi-"));
const file = path.join(dir, "openapi.json");
fs.writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));

const require = createRequire(import.meta.url);
const cli = path.join(path.dirname(require.resolve("@redocly/cli/package.json")), "bin", "cli.js");
const result = spawnSync(process.execPath, [cli, "lint", file, "--config", "redocly.yaml", "--format", "stylish"], {
  stdio: "inherit",
  // Offline and quiet: no usage telemetry, no registry check for a newer CLI.
  env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
});
fs.rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
