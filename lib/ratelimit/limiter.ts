import { ApiError } from "../api/errors";
import { processSingleton } from "../ops/global";
import { logger } from "../ops/logger";
import { getRedis, redisConfigured } from "../ops/redis";
import { clock } from "../util/clock";
import { MemoryStore } from "./memory-store";
import type { RatePolicy } from "./policy";
import { RedisStore } from "./redis-store";
import type { CounterStore, WindowCount } from "./store";
import { env } from "../config/env";

/** Where a client stands in a policy's current window (the X-RateLimit-* headers). */
export interface Quota {
  limit: number;
  remaining: number;
  /** Epoch milliseconds when the window resets. */
  resetAt: number;
  exceeded: boolean;
}

export class RateLimitedError extends ApiError {
  constructor(
    readonly quota: Quota,
    message = "Too many requests",
  ) {
    const retryAfter = retryAfterSeconds(quota);
    super(429, "RATE_LIMITED", `${message}; retry in ${retryAfter} s`, {
      limit: quota.limit,
      retry_after_seconds: retryAfter,
    });
  }
}

export function retryAfterSeconds(quota: Quota): number {
  return Math.max(1, Math.ceil((quota.resetAt - clock.now().getTime()) / 1000));
}

interface LimiterState {
  memory: MemoryStore;
  redis: RedisStore | null;
  warnedAt: number;
}

const state = () =>
  processSingleton<LimiterState>("ratelimit", () => ({ memory: new MemoryStore(), redis: null, warnedAt: 0 }));

const redisPrefix = () => env("RATE_LIMIT_REDIS_PREFIX");

/**
 * Runs a counter operation on Redis when REDIS_URL is set (one limit across instances), else
 * in memory. Redis being down must not take the API down: the request is counted in this
 * instance's memory instead (fail-open to a per-instance limit) and a warning is logged, at
 * most every 30 s.
 */
async function onStore<T>(op: (store: CounterStore) => Promise<T>): Promise<T> {
  const s = state();
  if (redisConfigured()) {
    s.redis ??= new RedisStore(getRedis, redisPrefix());
    try {
      return await op(s.redis);
    } catch (err) {
      const now = Date.now();
      if (now - s.warnedAt > 30_000) {
        s.warnedAt = now;
        logger().warn(
          { err: (err as Error).message },
          "rate limit store (Redis) unavailable; counting per instance in memory",
        );
      }
    }
  }
  return op(s.memory);
}

function toQuota(policy: RatePolicy, w: WindowCount, counted: boolean): Quota {
  const used = w.count;
  return {
    limit: policy.limit,
    remaining: Math.max(0, policy.limit - used),
    resetAt: w.resetAt,
    exceeded: counted ? used > policy.limit : used >= policy.limit,
  };
}

/** Counts one event of `client` under `policy`: the window's count including it. */
export async function count(policy: RatePolicy, client: string): Promise<WindowCount> {
  const now = clock.now().getTime();
  return onStore((store) => store.hit(`${policy.name}:${client}`, policy.windowMs, now));
}

/** Counts one request of `client` under `policy`. */
export async function consume(policy: RatePolicy, client: string): Promise<Quota> {
  return toQuota(policy, await count(policy, client), true);
}

/** Where `client` stands without counting; exceeded once the budget is used up. */
export async function peek(policy: RatePolicy, client: string): Promise<Quota> {
  const now = clock.now().getTime();
  const w = await onStore((store) => store.peek(`${policy.name}:${client}`, now));
  return toQuota(policy, w ?? { count: 0, resetAt: now + policy.windowMs }, false);
}

/** Forgets in-memory counters and the Redis store (tests switching configuration). */
export function resetRateLimiter(): void {
  const s = state();
  s.memory = new MemoryStore();
  s.redis = null;
}
