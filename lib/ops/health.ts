import { getDb } from "../db/client";
import { logger } from "./logger";
import { getRedis, redisConfigured, withTimeout } from "./redis";
import { env } from "../config/env";

export type CheckStatus = "ok" | "error";

const timeoutMs = () => env("HEALTH_CHECK_TIMEOUT_MS");

async function check(name: string, probe: () => Promise<unknown>): Promise<CheckStatus> {
  try {
    await withTimeout(probe(), timeoutMs(), `${name} check`);
    return "ok";
  } catch (err) {
    // The reason goes to the log, not to the (unauthenticated) probe's answer.
    logger().warn({ check: name, err: (err as Error).message }, "readiness check failed");
    return "error";
  }
}

/**
 * Readiness: the database answers a query, and Redis (when REDIS_URL is set)
 * answers PING, each within HEALTH_CHECK_TIMEOUT_MS. Checks run on every call, so the
 * answer recovers as soon as the dependency is back.
 */
export async function readiness(): Promise<{
  ready: boolean;
  body: { status: "ok" | "degraded"; checks: Record<string, CheckStatus> };
}> {
  const probes: [string, () => Promise<unknown>][] = [["database", async () => (await getDb()).$queryRaw`SELECT 1`]];
  if (redisConfigured()) probes.push(["redis", async () => (await getRedis()).ping()]);
  const results = await Promise.all(probes.map(async ([name, probe]) => [name, await check(name, probe)] as const));
  const checks = Object.fromEntries(results);
  const ready = results.every(([, s]) => s === "ok");
  return { ready, body: { status: ready ? "ok" : "degraded", checks } };
}
