import { timingSafeEqual } from "node:crypto";
import { UnauthorizedError } from "../api/errors";
import { env } from "../config/env";

/**
 * The Prometheus endpoint counts every customer's jobs, so when METRICS_TOKEN is set a
 * scraper must send it as a bearer token. Unset, the endpoint is open, like most exporters:
 * keep it on a private network.
 */
export function assertMetricsScraper(authorization: string | null): void {
  const expected = env("METRICS_TOKEN");
  if (!expected) return;
  const given = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? "";
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new UnauthorizedError("Invalid metrics token");
}
