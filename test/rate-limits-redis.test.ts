import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import readline from "node:readline";
import { createClient } from "redis";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { closeRedis } from "../lib/ops/redis";
import { resetRateLimiter } from "../lib/ratelimit/limiter";

// The machine's Redis; every run counts under its own key prefix.
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `benchboard:test:${process.pid}:${randomBytes(4).toString("hex")}:`;

let teardown: () => Promise<void>;
const children: ChildProcess[] = [];

/** Another app instance in its own process, sharing only Redis with the others. */
async function startInstance(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/serve-app.ts"], {
    env: { ...process.env, ...env, DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  const lines = readline.createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.startsWith("{")) return (JSON.parse(line) as { url: string }).url;
  }
  throw new Error("app instance exited before listening");
}

before(async () => ({ teardown } = await useFreshDatabase()));
after(async () => {
  for (const c of children) c.kill("SIGTERM");
  await closeRedis();
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  for await (const keys of redis.scanIterator({ MATCH: `${PREFIX}*` })) if (keys.length) await redis.del(keys);
  await redis.quit();
  await teardown();
});

describe("rate limits shared through Redis", () => {
  test("two app instances enforce one limit per client", async () => {
    // As behind a load balancer on this host: X-Forwarded-For names the client.
    const env = {
      REDIS_URL,
      RATE_LIMIT_REDIS_PREFIX: PREFIX,
      RATE_LIMIT_DEFAULT_PER_MINUTE: "6",
      TRUSTED_PROXIES: "127.0.0.1,::1",
    };
    const [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    const from = { "x-forwarded-for": "198.51.100.23" };
    const seen: [string, number, string | null][] = [];
    for (let i = 0; i < 8; i++) {
      const base = i % 2 ? b : a;
      const res = await fetch(`${base}${V1}/server`, { headers: from });
      seen.push([i % 2 ? "b" : "a", res.status, res.headers.get("x-ratelimit-remaining")]);
      await res.arrayBuffer();
    }
    assert.deepEqual(seen, [
      ["a", 200, "5"],
      ["b", 200, "4"],
      ["a", 200, "3"],
      ["b", 200, "2"],
      ["a", 200, "1"],
      ["b", 200, "0"],
      ["a", 429, "0"],
      ["b", 429, "0"],
    ]);
    // Another client address is counted apart.
    const other = await fetch(`${b}${V1}/server`, { headers: { "x-forwarded-for": "198.51.100.24" } });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get("x-ratelimit-remaining"), "5");
  });

  test("readiness reports Redis; with Redis unreachable the API stays up, limiting per instance", async () => {
    process.env.REDIS_URL = REDIS_URL;
    process.env.RATE_LIMIT_REDIS_PREFIX = PREFIX;
    try {
      // The first check also opens the Redis connection (1 s to connect): on a loaded CI
      // machine that can miss once, and readiness recovers on the next call by design.
      let ready = await api.get("/api/health/ready");
      for (let i = 0; ready.status !== 200 && i < 20; i++) {
        await new Promise((r) => setTimeout(r, 250));
        ready = await api.get("/api/health/ready");
      }
      assert.deepEqual([ready.status, ready.body.checks], [200, { database: "ok", redis: "ok" }]);

      await closeRedis();
      resetRateLimiter();
      process.env.REDIS_URL = "redis://127.0.0.1:1"; // nothing listens there
      process.env.RATE_LIMIT_DEFAULT_PER_MINUTE = "2";
      const from = { "x-forwarded-for": "198.51.100.77" };
      const first = await api.get(`${V1}/server`, { headers: from });
      assert.equal(first.status, 200, "fail-open: Redis being down does not fail requests");
      assert.equal(first.headers.get("x-ratelimit-remaining"), "1");
      assert.equal((await api.get(`${V1}/server`, { headers: from })).status, 200);
      assert.equal(
        (await api.get(`${V1}/server`, { headers: from })).status,
        429,
        "still limited, in this instance's memory",
      );

      const degraded = await api.get("/api/health/ready");
      assert.equal(degraded.status, 503);
      assert.deepEqual(degraded.body, { status: "degraded", checks: { database: "ok", redis: "error" } });
    } finally {
      delete process.env.REDIS_URL;
      delete process.env.RATE_LIMIT_DEFAULT_PER_MINUTE;
      await closeRedis();
      resetRateLimiter();
    }
  });
});
