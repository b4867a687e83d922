// More than one app server (README "Scale out"): two `next start` instances of the production
// build on one PostgreSQL database and one Redis behave as one. They start together on an
// empty database, so both migrate at once; then a session and tokens from one work on the
// other, rate limits are counted once across both, log follow on B streams lines written
// through A, and each sweep happens on one instance only.
// Needs PostgreSQL (TEST_DATABASE_URL) and a current production build; CI runs it after its
// `npm run build` step.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createClient } from "redis";
import { freePort, productionBuildProblem, startNextInstance, type NextInstance } from "./helpers/next-start";
import { V1 } from "./helpers/api";
import { createEmptyDatabase } from "./helpers/db";
import { browserSession } from "./helpers/browser-session";
import { collectEvents } from "./helpers/sse";
import { closeDb, getDb } from "../lib/db/client";
import { readMigrations } from "../lib/db/migrate";
import { createUser } from "../lib/auth/users";
import { waitFor } from "./helpers/wait";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `benchboard:test:scaleout:${process.pid}:${randomBytes(4).toString("hex")}:`;
const RATE_LIMIT = 6;
const SWEEP_INTERVAL_S = 1;
const PASSWORD = "correct horse battery";

const skip = !process.env.TEST_DATABASE_URL
  ? "needs PostgreSQL (TEST_DATABASE_URL): instances cannot share an embedded PGlite"
  : productionBuildProblem();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Anonymous calls and failed authentication count per client address against a small limit
// (RATE_LIMIT). The instances trust 127.0.0.1 as a proxy, so each helper call below names a
// fresh client address in X-Forwarded-For and only the rate-limit test shares one.
let clients = 0;
const freshClient = () => {
  const n = ++clients;
  return { "x-forwarded-for": `10.77.${n >> 8}.${n & 255}` };
};

/** A user's request with a bearer token or a session cookie. */
async function request(
  base: string,
  urlPath: string,
  auth: { token?: string; cookie?: string },
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...freshClient(), ...init.headers };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base + urlPath, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: any = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body, text };
}

async function accessToken(base: string, email: string) {
  const res = await fetch(`${base}${V1}/token`, {
    method: "POST",
    headers: freshClient(),
    body: new URLSearchParams({ username: email, password: PASSWORD }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The dashboard's sign-in as a browser does it: next-auth's CSRF token, then the credentials form. */
async function sessionCookie(base: string, email: string): Promise<string> {
  const { cookie, status } = await browserSession(base, email, PASSWORD, freshClient());
  assert.ok(cookie, `no session cookie from sign-in (${status})`);
  return cookie;
}

/** A one-node quick_mark job created through `base`: its id and job token. */
async function createJob(base: string, token: string, name: string): Promise<{ id: string; token: string }> {
  const r = await request(
    base,
    `${V1}/jobs`,
    { token },
    { method: "POST", body: { name, benchmarks: ["quick_mark"], node_count: 1 } },
  );
  assert.equal(r.status, 201, r.text);
  return r.body;
}

/** An agent registering its node through `base` with the job token: the node's task id. */
async function registerNode(base: string, jobToken: string, machineUuid: string): Promise<string> {
  const r = await request(
    base,
    `${V1}/jobs/current/tasks`,
    { token: jobToken },
    { method: "POST", body: { machine_uuid: machineUuid, gpu_model: "NVIDIA H100", gpu_count: 8 } },
  );
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

/** Prometheus samples of one metric name, summed by their label set. */
async function metricSamples(base: string, name: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/api/metrics`, { headers: freshClient() })).text();
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = line.match(/^(\w+)(\{[^}]*\})?\s+(\S+)$/);
    if (m && m[1] === name) out.set(m[2] ?? "", Number(m[3]));
  }
  return out;
}

describe("two app instances on one PostgreSQL and one Redis", { skip: skip ?? false }, () => {
  let a: NextInstance;
  let b: NextInstance;
  let instances: NextInstance[] = [];
  let database: Awaited<ReturnType<typeof createEmptyDatabase>> | undefined;
  const dataDirs: string[] = [];
  let startupReady: number[] = [];

  before(async () => {
    database = await createEmptyDatabase(process.env.TEST_DATABASE_URL!, "benchboard_t_scaleout");
    process.env.DATABASE_URL = database.url;

    // What every instance must share (README "Scale out"); nothing else is shared — each has
    // its own data folder, so a secret generated into one would not be known to the other.
    const shared = {
      DATABASE_URL: database.url,
      REDIS_URL,
      RATE_LIMIT_REDIS_PREFIX: PREFIX,
      AUTH_SECRET: randomBytes(32).toString("hex"),
      RATE_LIMIT_DEFAULT_PER_MINUTE: String(RATE_LIMIT),
      SWEEP_INTERVAL_SECONDS: String(SWEEP_INTERVAL_S),
      TRUSTED_PROXIES: "127.0.0.1",
      BENCHBOARD_DEMO: "0",
      LOG_LEVEL: "info",
    };
    const own = () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "benchboard-scaleout-"));
      dataDirs.push(dir);
      return { BENCHBOARD_DATA_DIR: dir };
    };
    const [portA, portB] = [await freePort(), await freePort()];
    const started = await Promise.allSettled([
      startNextInstance(portA, { ...shared, ...own() }),
      startNextInstance(portB, { ...shared, ...own() }),
    ]);
    // Keep whichever started, so that after() stops it even when the other failed.
    instances = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    for (const r of started) if (r.status === "rejected") throw r.reason;
    [a, b] = instances;
    // Both open (and so migrate) the empty database at the same moment: their sweepers' first
    // ticks and these probes. Readiness answers 503 while the migration outlasts its check's
    // timeout, then 200.
    startupReady = await Promise.all(
      [a, b].map((s) =>
        waitFor(
          async () => ((await fetch(`${s.url}/api/health/ready`)).status === 200 ? 200 : undefined),
          60_000,
          `${s.url} to be ready`,
        ).catch(() => 503),
      ),
    );
    process.env.AUTH_SECRET = shared.AUTH_SECRET;
  });

  after(async () => {
    await Promise.all(instances.map((s) => s.stop()));
    await closeDb();
    await database?.drop();
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${PREFIX}*` })) if (keys.length) await redis.del(keys);
    await redis.quit();
    for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test("started together on an empty database, both migrate it: each migration applied once, neither fails", async () => {
    assert.deepEqual(startupReady, [200, 200]);
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    const rows = (await c.query(`SELECT name FROM "_benchboard_migrations" ORDER BY name`)).rows.map((r) => r.name);
    await c.end();
    assert.deepEqual(
      rows,
      readMigrations().map((m) => m.name),
    );
    // Errors (pino level 50 and up) and any failed migration step — a lost race on the catalog
    // shows as "duplicate key" in the sweeper's or the readiness check's error. Readiness
    // answering 503 while the migration runs longer than its check's timeout is expected.
    const expected = /"route":"\/api\/health\/ready","status":503/;
    for (const s of [a, b]) {
      const failures = s.lines.filter(
        (l) => (/"level":[56]0/.test(l) && !expected.test(l)) || /duplicate key|Migration .* failed/.test(l),
      );
      assert.deepEqual(failures, [], `errors logged by ${s.url}`);
    }
  });

  test("a session cookie and an access token from A work on B, a job token on either; deactivation through A ends them on B", async () => {
    const db = await getDb();
    const admin = await createUser(db, {
      email: "admin@scale.test",
      password: PASSWORD,
      role: "customer_admin",
      customer: "Scale Co",
    });
    const engineer = await createUser(db, {
      email: "engineer@scale.test",
      password: PASSWORD,
      role: "user",
      customer: "Scale Co",
    });
    const token = await accessToken(a.url, "engineer@scale.test");
    const cookie = await sessionCookie(a.url, "engineer@scale.test");

    const created = await createJob(b.url, token, "on B");
    const listed = await request(b.url, `${V1}/jobs`, { cookie });
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(
      listed.body.results.map((j: { name: string }) => j.name),
      ["on B"],
    );
    const page = await fetch(`${b.url}/jobs`, { headers: { cookie }, redirect: "manual" });
    assert.equal(page.status, 200, "the dashboard on B accepts A's session");
    await page.arrayBuffer();

    // The job token issued through B opens the agent endpoints on A.
    await registerNode(a.url, created.token, "node-1");
    const job = await request(b.url, `${V1}/jobs/${created.id}`, { token });
    assert.equal(job.body.state, "running");

    const adminToken = await accessToken(b.url, "admin@scale.test");
    assert.ok(admin.id);
    const off = await request(
      a.url,
      `${V1}/users/${engineer.id}`,
      { token: adminToken },
      { method: "PATCH", body: { active: false } },
    );
    assert.equal(off.status, 200, off.text);
    // The other instance refuses them too (the caller is checked against the shared database).
    await waitFor(
      async () => {
        const [t, c] = await Promise.all([
          request(b.url, `${V1}/jobs`, { token }),
          request(b.url, `${V1}/jobs`, { cookie }),
        ]);
        return t.status === 401 && c.status === 401;
      },
      15_000,
      "B to refuse the deactivated user's token and session",
    );
  });

  test("rate limits are counted once across both instances (Redis), per client address from the trusted proxy", async () => {
    const client = { "x-forwarded-for": "198.51.100.61" };
    const seen: string[] = [];
    for (let i = 0; i < RATE_LIMIT + 2; i++) {
      const s = i % 2 ? b : a;
      const res = await fetch(`${s.url}${V1}/server`, { headers: client });
      seen.push(`${i % 2 ? "B" : "A"} ${res.status} ${res.headers.get("x-ratelimit-remaining")}`);
      await res.arrayBuffer();
    }
    assert.deepEqual(seen, ["A 200 5", "B 200 4", "A 200 3", "B 200 2", "A 200 1", "B 200 0", "A 429 0", "B 429 0"]);
    const other = await fetch(`${b.url}${V1}/server`, { headers: { "x-forwarded-for": "198.51.100.62" } });
    assert.equal(other.status, 200, "another client is counted apart");
    await other.arrayBuffer();
  });

  test("log follow (SSE) on B streams the lines written through A, and ends when the job ends through A", async () => {
    const db = await getDb();
    await createUser(db, { email: "follower@scale.test", password: PASSWORD, role: "user", customer: "Scale Co" });
    const token = await accessToken(a.url, "follower@scale.test");
    const cookie = await sessionCookie(b.url, "follower@scale.test");
    const created = await createJob(a.url, token, "logs");
    const agent = { token: created.token };
    const taskPath = `${V1}/jobs/current/tasks/${await registerNode(b.url, created.token, "node-logs")}`;
    const first = await request(a.url, `${taskPath}/logs`, agent, {
      method: "POST",
      body: { lines: ["before follow"] },
    });
    assert.ok(first.status < 300, first.text);

    const controller = new AbortController();
    const stream = await fetch(`${b.url}${V1}/jobs/${created.id}/logs?follow=true&timestamps=false`, {
      headers: { cookie, accept: "text/event-stream" },
      signal: controller.signal,
    });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get("content-type") ?? "", /text\/event-stream/);
    const { events, done } = collectEvents(stream);
    try {
      await waitFor(async () => events.some((e) => e.data === "before follow"), 15_000, "the tail on B");
      for (let i = 1; i <= 3; i++) {
        const r = await request(a.url, `${taskPath}/logs`, agent, {
          method: "POST",
          body: { lines: [`from A #${i}`] },
        });
        assert.ok(r.status < 300, r.text);
      }
      await waitFor(
        async () => events.filter((e) => e.data.startsWith("from A")).length === 3,
        15_000,
        "the lines written through A on B",
      );
      const fin = await request(a.url, `${taskPath}/finish`, agent, { method: "POST", body: { state: "completed" } });
      assert.equal(fin.status, 200, fin.text);
      await waitFor(async () => events.some((e) => e.event === "end"), 15_000, "the end event on B");
      await done;
    } finally {
      controller.abort();
    }
    assert.deepEqual(
      events.map((e) => (e.event === "end" ? "end" : e.data)),
      ["before follow", "from A #1", "from A #2", "from A #3", "end"],
    );
  });

  test("each sweep runs on one instance: a lost node's job ends once, with one log line, and rounds are shared", async () => {
    const db = await getDb();
    await createUser(db, { email: "sweep@scale.test", password: PASSWORD, role: "user", customer: "Scale Co" });
    const token = await accessToken(b.url, "sweep@scale.test");
    const created = await createJob(b.url, token, "lost");
    const taskId = await registerNode(a.url, created.token, "node-lost");
    const endedBefore = await Promise.all(
      [a, b].map(
        async (s) =>
          (await metricSamples(s.url, "benchboard_sweeper_jobs_ended_total")).get('{reason="lost_nodes"}') ?? 0,
      ),
    );
    // The node's last heartbeat an hour ago: past AGENT_HEARTBEAT_TIMEOUT_SECONDS (300 s).
    await db.task.update({
      where: { id: BigInt(taskId) },
      data: { lastHeartbeatAt: new Date(Date.now() - 3600_000) },
    });

    await waitFor(
      async () => {
        const j = await db.job.findUniqueOrThrow({ where: { id: BigInt(created.id) }, select: { state: true } });
        return j.state === "aborted";
      },
      15_000,
      "the sweeper to end the job",
    );
    const job = (await request(a.url, `${V1}/jobs/${created.id}`, { token })).body;
    assert.match(job.failed_message, /node-lost stopped heartbeating/);
    await sleep(3 * SWEEP_INTERVAL_S * 1000); // further rounds on both instances find nothing more to do

    const id = String(created.id);
    const logLines = [a, b].flatMap((s) =>
      s.lines.filter((l) => l.includes('"sweeper ended jobs"') && l.includes(`"${id}"`)).map((l) => JSON.parse(l)),
    );
    assert.equal(logLines.length, 1, `one "sweeper ended jobs" line names the job: ${JSON.stringify(logLines)}`);
    assert.deepEqual(logLines[0].ended, { lost_nodes: [id] });
    const endedAfter = await Promise.all(
      [a, b].map(
        async (s) =>
          (await metricSamples(s.url, "benchboard_sweeper_jobs_ended_total")).get('{reason="lost_nodes"}') ?? 0,
      ),
    );
    assert.equal(endedAfter[0] + endedAfter[1] - endedBefore[0] - endedBefore[1], 1, "ended once, by one instance");

    // Every tick of either instance either swept (claimed the round) or skipped (the other had
    // it): together they swept about once per interval, not once per instance per interval.
    let swept = 0;
    let ticks = 0;
    for (const s of [a, b]) {
      const rounds = await metricSamples(s.url, "benchboard_sweeper_rounds_total");
      swept += rounds.get('{outcome="swept"}') ?? 0;
      ticks += (rounds.get('{outcome="swept"}') ?? 0) + (rounds.get('{outcome="skipped"}') ?? 0);
    }
    assert.ok(ticks >= 10, `ticks ${ticks}`);
    assert.ok(swept / ticks <= 0.75, `${swept} of ${ticks} ticks swept: rounds are not shared`);
  });
});
