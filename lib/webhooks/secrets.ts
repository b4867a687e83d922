import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "../auth/secret";

/**
 * Webhook secrets at rest. The server needs each secret in clear to sign deliveries, so it
 * cannot keep a hash; it keeps them under AES-256-GCM with a key derived (HKDF) from the app's
 * signing secret (AUTH_SECRET, or the one generated into the data folder). A database dump
 * alone then reveals no secret. Changing AUTH_SECRET makes stored secrets unreadable: those
 * webhooks must be created again (docs/api-contract.md, "Webhooks").
 */
const VERSION = "v1";

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret(), "benchboard", "webhook secrets v1", 32));
}

/** A new secret for a webhook created without one. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("hex")}`;
}

export function encryptSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const ct = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(
    ".",
  );
}

export class SecretUnreadableError extends Error {}

export function decryptSecret(stored: string): string {
  const [version, iv, tag, ct] = stored.split(".");
  if (version !== VERSION || !iv || !tag || !ct) throw new SecretUnreadableError("Unknown secret format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretUnreadableError(
      "The webhook's secret cannot be decrypted (was AUTH_SECRET changed?); create the webhook again",
    );
  }
}
