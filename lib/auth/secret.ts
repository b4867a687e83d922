import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { dataDir } from "../db/config";
import { env } from "../config/env";

let cached: string | undefined;

/**
 * Signing secret for access tokens, job tokens and next-auth sessions. AUTH_SECRET in
 * production; otherwise one is generated once and kept in the data folder, so the embedded
 * install works out of the box and sessions survive restarts.
 */
export function authSecret(): string {
  if (cached) return cached;
  const fromEnv = env("AUTH_SECRET") ?? env("NEXTAUTH_SECRET");
  if (fromEnv) return (cached = fromEnv);
  const file = path.join(dataDir(), "auth-secret");
  try {
    cached = fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("hex");
    try {
      fs.writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
    } catch {
      // Another process won the race; use what it wrote.
    }
    cached = fs.readFileSync(file, "utf8").trim();
  }
  return cached!;
}
