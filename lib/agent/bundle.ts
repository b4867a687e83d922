import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The bundled agent the dashboard serves at /agent/benchboard-agent.mjs, built by
 * `npm run build:agent` (scripts/build-agent.mjs) into dist/. Read and hashed once per
 * version of the file, so pages can show its SHA-256 next to the download command.
 */
export const AGENT_BUNDLE_FILE = "benchboard-agent.mjs";

export function agentBundlePath(): string {
  return path.join(process.cwd(), "dist/agent", AGENT_BUNDLE_FILE);
}

let cached: { key: string; body: Buffer; sha256: string } | null = null;

export function readAgentBundle(): { body: Buffer; sha256: string } | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(agentBundlePath());
  } catch {
    return null;
  }
  const key = `${stat.mtimeMs}:${stat.size}`;
  if (cached?.key !== key) {
    const body = fs.readFileSync(agentBundlePath());
    cached = { key, body, sha256: createHash("sha256").update(body).digest("hex") };
  }
  return cached;
}

export function agentBundleSha256(): string | null {
  return readAgentBundle()?.sha256 ?? null;
}
