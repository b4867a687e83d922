import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { closeDb, getDb } from "../lib/db/client";
import { readMigrations } from "../lib/db/migrate";
import { clock } from "../lib/util/clock";

let teardown: () => Promise<void>;
let admin: SignedInUser;
let engineer: SignedInUser;
let outsider: SignedInUser;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  admin = await signedInUser("customer_admin", "Ops Co");
  engineer = await signedInUser("user", "Ops Co");
  outsider = await signedInUser("customer_admin", "Other Co");
});
after(() => teardown());

const T0 = new Date("2026-11-20T10:00:00.000Z");
const at = (seconds: number) => () => new Date(T0.getTime() + seconds * 1000);

async function agentPost(token: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await api.post(`${V1}/jobs/current${path}`, { token, body, headers });
  assert.ok(res.status < 300, `${path}: ${res.status} ${res.text}`);
  return res.body;
}

describe("GET /server (the server check)", () => {
  test("versions for anyone: app from package.json, schema = latest migration, API v1", async () => {
    const res = await api.get(`${V1}/server`);
    assert.equal(res.status, 200);
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    const migrations = readMigrations();
    assert.equal(res.body.status, "ok");
    assert.deepEqual(res.body.versions, { app: pkg.version, schema: migrations.at(-1)!.name, api: "v1" });
    assert.equal(res.body.user_info, undefined);
    assert.ok(res.headers.get("x-request-id"));
  });

  test("signed in: node-seconds and bytes uploaded of the caller's visible jobs", async () => {
    const realNow = clock.now;
    try {
      clock.now = at(0);
      const job = (
        await api.post(`${V1}/jobs`, {
          token: engineer.token,
          body: { benchmarks: ["quick_mark"], node_count: 2, name: "usage" },
        })
      ).body;
      const node1 = await agentPost(job.token, "/tasks", {
        machine_uuid: "m-1",
        gpu_model: "NVIDIA H100 NVL",
        gpu_count: 1,
      });
      clock.now = at(10);
      const node2 = await agentPost(job.token, "/tasks", {
        machine_uuid: "m-2",
        gpu_model: "NVIDIA H100 NVL",
        gpu_count: 1,
      });
      const results = { aggregate_results: { bf16_tflops: 450.5 }, note: "naïve" };
      const upload = { benchmark_id: "quick_mark", state: "completed", config: { size: 1 }, results };
      await agentPost(job.token, `/tasks/${node1.id}/results`, upload, { "idempotency-key": "u1" });
      // A retried upload is stored, and counted, once.
      await agentPost(job.token, `/tasks/${node1.id}/results`, upload, { "idempotency-key": "u1" });
      await agentPost(job.token, `/tasks/${node2.id}/logs`, { lines: ["héllo", { line: "world" }, "two\nlines"] });
      clock.now = at(90);
      await agentPost(job.token, `/tasks/${node1.id}/finish`, { state: "completed" });
      clock.now = at(100);

      const uploadBytes = Buffer.byteLength(JSON.stringify(upload.config)) + Buffer.byteLength(JSON.stringify(results));
      const logBytes = Buffer.byteLength("héllo") + 5 + 3 + 5;
      const expected = { node_seconds: 90 + 90, bytes_uploaded: uploadBytes + logBytes };
      for (const who of [engineer, admin]) {
        const res = await api.get(`${V1}/server`, { token: who.token });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.user_info.node_seconds, expected.node_seconds);
        assert.equal(res.body.user_info.bytes_uploaded, expected.bytes_uploaded);
        assert.equal(res.body.user_info.compute_time, expected.node_seconds);
        assert.equal(res.body.user_info.bandwidth_kb, Math.floor(expected.bytes_uploaded / 1024));
      }
      // Another customer's usage does not include these jobs.
      const other = await api.get(`${V1}/server`, { token: outsider.token });
      assert.equal(other.body.user_info.node_seconds, 0);
      assert.equal(other.body.user_info.bytes_uploaded, 0);
    } finally {
      clock.now = realNow;
    }
  });

  test("usage comes from counters that follow every change: equal to a recount of tasks and results", async () => {
    const db = await getDb();
    const owner = await signedInUser("customer_admin", "Recount Co");
    // The scan the counters replace: every task and result of the caller's live jobs.
    const recount = async (customerId: number) => {
      const [r] = await db.$queryRaw<{ secs: number | null; bytes: bigint | null }[]>`
        SELECT (SELECT SUM(EXTRACT(EPOCH FROM (t.ended_at - t.started_at)))::float8 FROM tasks t JOIN jobs j ON j.id = t.job_id
                 WHERE j.deleted_at IS NULL AND j.customer_id = ${customerId} AND t.ended_at IS NOT NULL) AS secs,
               (SELECT COALESCE(SUM(t.bytes_uploaded), 0) FROM tasks t JOIN jobs j ON j.id = t.job_id
                 WHERE j.deleted_at IS NULL AND j.customer_id = ${customerId})
             + (SELECT COALESCE(SUM(r.payload_bytes), 0) FROM benchmark_results r JOIN jobs j ON j.id = r.job_id
                 WHERE j.deleted_at IS NULL AND j.customer_id = ${customerId}) AS bytes`;
      return { node_seconds: Math.round(r.secs ?? 0), bytes_uploaded: Number(r.bytes ?? 0) };
    };
    const usage = async () => {
      const res = await api.get(`${V1}/server`, { token: owner.token });
      assert.equal(res.status, 200, res.text);
      return { node_seconds: res.body.user_info.node_seconds, bytes_uploaded: res.body.user_info.bytes_uploaded };
    };
    const customerId = (await db.user.findUniqueOrThrow({ where: { id: owner.id } })).customerId;
    const job = (
      await api.post(`${V1}/jobs`, {
        token: owner.token,
        body: { benchmarks: ["quick_mark"], node_count: 1, name: "recount" },
      })
    ).body;
    const node = await agentPost(job.token, "/tasks", {
      machine_uuid: "m-9",
      gpu_model: "NVIDIA H100 NVL",
      gpu_count: 1,
    });
    await agentPost(job.token, `/tasks/${node.id}/logs`, { lines: ["a line of log"] });
    const upload = {
      benchmark_id: "quick_mark",
      state: "completed",
      config: {},
      results: { aggregate_results: { bf16_tflops: 1 } },
    };
    await agentPost(job.token, `/tasks/${node.id}/results`, upload, { "idempotency-key": "r9" });
    await agentPost(job.token, `/tasks/${node.id}/finish`, { state: "completed" });
    const before = await usage();
    assert.deepEqual(before, await recount(customerId));
    assert.ok(before.bytes_uploaded > 0);

    // Soft delete takes the job's share out, restoring puts it back.
    await db.job.update({ where: { id: BigInt(job.id) }, data: { deletedAt: new Date() } });
    const deleted = await usage();
    assert.deepEqual(deleted, await recount(customerId));
    assert.ok(deleted.bytes_uploaded < before.bytes_uploaded);
    await db.job.update({ where: { id: BigInt(job.id) }, data: { deletedAt: null } });
    assert.deepEqual(await usage(), before);

    // A hard delete (results, then nodes, then the job) leaves nothing of it behind.
    await db.benchmarkResult.deleteMany({ where: { jobId: BigInt(job.id) } });
    await db.task.deleteMany({ where: { jobId: BigInt(job.id) } });
    await db.jobLog.deleteMany({ where: { jobId: BigInt(job.id) } });
    await db.job.delete({ where: { id: BigInt(job.id) } });
    assert.deepEqual(await usage(), await recount(customerId));
    assert.deepEqual(await usage(), deleted);
  });

  test("bad credentials are refused rather than silently treated as anonymous", async () => {
    const res = await api.get(`${V1}/server`, { token: "not-a-token" });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "CLIENT_TOKEN_INVALID");
    assert.equal(res.body.error.request_id, res.headers.get("x-request-id"));
  });
});

describe("metrics (docs/api-contract.md)", () => {
  test("GET /metrics: the caller's jobs over 24 h, request latency and throughput", async () => {
    const realNow = clock.now;
    const now = Date.now();
    try {
      // Two jobs ended in the window (one completed, one failed by its only node), one still open.
      const ok = (
        await api.post(`${V1}/jobs`, { token: admin.token, body: { benchmarks: ["quick_mark"], name: "m-ok" } })
      ).body;
      const bad = (
        await api.post(`${V1}/jobs`, { token: admin.token, body: { benchmarks: ["quick_mark"], name: "m-bad" } })
      ).body;
      await api.post(`${V1}/jobs`, { token: admin.token, body: { benchmarks: ["quick_mark"], name: "m-open" } });
      for (const [job, state] of [
        [ok, "completed"],
        [bad, "failed"],
      ] as const) {
        clock.now = () => new Date(now - 60_000);
        const t = await agentPost(job.token, "/tasks", {
          machine_uuid: `m-${state}`,
          gpu_model: "NVIDIA H100 NVL",
          gpu_count: 1,
        });
        if (state === "completed")
          await agentPost(job.token, `/tasks/${t.id}/results`, {
            benchmark_id: "quick_mark",
            state: "completed",
            results: { aggregate_results: { bf16_tflops: 450 } },
          });
        clock.now = () => new Date(now);
        await agentPost(job.token, `/tasks/${t.id}/finish`, { state });
      }
    } finally {
      clock.now = realNow;
    }
    const res = await api.get(`${V1}/metrics`, { token: admin.token });
    assert.equal(res.status, 200, res.text);
    // admin's customer also has the usage job (submitted by the engineer, still running).
    assert.equal(res.body.jobs.total_submitted_24h >= 3, true);
    assert.equal(res.body.jobs.total_completed_24h, 1);
    assert.equal(res.body.jobs.total_failed_24h, 1);
    assert.equal(res.body.jobs.success_rate, 0.5);
    assert.equal(res.body.latency.execution_p50_seconds, 60);
    assert.ok(res.body.latency.request_samples > 0);
    assert.ok(
      res.body.latency.request_p50_ms > 0 && res.body.latency.request_p99_ms >= res.body.latency.request_p50_ms,
    );
    assert.ok(res.body.throughput.requests_per_second > 0);
    assert.ok(res.body.throughput.jobs_per_second > 0);
    // Another customer sees none of these jobs.
    const other = await api.get(`${V1}/metrics`, { token: outsider.token });
    assert.equal(other.body.jobs.total_submitted_24h, 0);
    assert.equal(other.body.jobs.success_rate, null);
    assert.equal((await api.get(`${V1}/metrics`)).status, 401);
  });

  test("GET /api/metrics: Prometheus text with request histogram and job gauges; METRICS_TOKEN guards it", async () => {
    const res = await api.get("/api/metrics");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/plain/);
    assert.match(
      res.text,
      /benchboard_http_request_duration_seconds_bucket\{[^}]*route="\/api\/silicon-mark\/v1\/jobs\/current\/tasks\/\{task_id\}\/results"/,
    );
    assert.match(res.text, /benchboard_jobs_24h\{outcome="completed"\} 1/);
    assert.match(res.text, /benchboard_process_cpu_seconds_total/);
    process.env.METRICS_TOKEN = "scrape-secret";
    try {
      assert.equal((await api.get("/api/metrics")).status, 401);
      assert.equal((await api.get("/api/metrics", { token: "wrong" })).status, 401);
      assert.equal((await api.get("/api/metrics", { token: "scrape-secret" })).status, 200);
    } finally {
      delete process.env.METRICS_TOKEN;
    }
  });
});

describe("request ids", () => {
  test("X-Request-Id on every response: success, errors, unknown API paths, health, metrics", async () => {
    const paths = [
      `${V1}/server`,
      `${V1}/jobs`,
      `${V1}/no-such-endpoint`,
      "/api/nothing/here",
      "/api/health/live",
      "/api/health/ready",
      "/api/metrics",
    ];
    for (const p of paths) {
      const res = await api.get(p, { headers: { "x-request-id": "trace-123" } });
      assert.equal(res.headers.get("x-request-id"), "trace-123", p);
      if (res.status >= 400) assert.equal(res.body.error.request_id, "trace-123", p);
    }
    const unknown = await api.post(`${V1}/no-such-endpoint`, { body: {} });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "RESOURCE_NOT_FOUND");
    assert.match(unknown.body.error.request_id, /^[0-9a-f-]{36}$/);
  });
});

describe("health (docs/api-contract.md)", () => {
  test("live is 200 and ready checks the database: 503 naming it while unreachable, 200 once back", async () => {
    const live = await api.get("/api/health/live");
    assert.deepEqual([live.status, live.body], [200, { status: "ok" }]);
    const ready = await api.get("/api/health/ready");
    assert.deepEqual([ready.status, ready.body], [200, { status: "ok", checks: { database: "ok" } }]);

    // Point the app at a PostgreSQL port where nothing listens.
    const saved = { url: process.env.DATABASE_URL, pglite: process.env.PGLITE_DATA_DIR };
    await closeDb();
    process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/unreachable";
    try {
      const down = await api.get("/api/health/ready");
      assert.equal(down.status, 503);
      assert.deepEqual(down.body, { status: "degraded", checks: { database: "error" } });
      assert.equal((await api.get("/api/health/live")).status, 200, "liveness does not depend on the database");
    } finally {
      if (saved.url) process.env.DATABASE_URL = saved.url;
      else delete process.env.DATABASE_URL;
    }
    // Reconnecting (and, for a fresh embedded database, migrating) may outlast one check.
    let back = await api.get("/api/health/ready");
    for (let i = 0; back.status !== 200 && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 250));
      back = await api.get("/api/health/ready");
    }
    assert.deepEqual([back.status, back.body], [200, { status: "ok", checks: { database: "ok" } }]);
  });
});
