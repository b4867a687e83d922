import { createHash, randomBytes } from "node:crypto";

/**
 * Enrollment tokens and machine credentials are random secrets; only their SHA-256 is stored
 * (a fast hash is enough for 256 random bits), so a database dump enrolls nothing.
 */
export const ENROLLMENT_TOKEN_PREFIX = "bbe_";
export const MACHINE_CREDENTIAL_PREFIX = "bbm_";

export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString("base64url");
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
