import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * `X-Benchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with
 * the webhook's secret. The timestamp is signed too, so a receiver can refuse old replays.
 */
export const SIGNATURE_HEADER = "X-Benchboard-Signature";
export const EVENT_HEADER = "X-Benchboard-Event";
export const DELIVERY_HEADER = "X-Benchboard-Delivery";

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, body)}`;
}

/**
 * What a receiver does (docs/api-contract.md shows the same in a few lines): recompute the
 * HMAC over "<t>.<raw body>", compare in constant time, and refuse timestamps too far off.
 */
export function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  { toleranceSeconds = 300, now = Date.now() } = {},
): boolean {
  if (!header) return false;
  const parts = new Map(
    header.split(",").map((p) => {
      const i = p.indexOf("=");
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, t, body), "hex");
  const given = Buffer.from(v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
