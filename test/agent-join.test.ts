// A big job's start (docs/performance-budget.md, "Many nodes at once"): the join spread the
// server offers and the agent honours, and the job row its agents share
// (lib/agent/job-cache.ts) — never older than AGENT_JOB_CACHE_MS, dropped at once when the job
// is cancelled or deleted through the API, and never letting a node into a deleted job.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { registerNode, type AgentApi } from "../agent/run-node";
import type { CurrentJob } from "../agent/client";
import { cachedAgentJob } from "../lib/agent/job-cache";
import { env } from "../lib/config/env";
import { getDb, type Db } from "../lib/db/client";
import { clock } from "../lib/util/clock";

let teardown: () => Promise<void>;
let eng: SignedInUser;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  eng = await signedInUser("customer_admin", "Join Co");
});
after(() => teardown());

let jobs = 0;
async function newJob(body: Record<string, unknown> = {}) {
  const res = await api.post(`${V1}/jobs`, {
    token: eng.token,
    body: { name: `join ${++jobs}`, benchmarks: ["quick_mark"], ...body },
  });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: string; token: string };
}

const node = (uuid: string) => ({ machine_uuid: uuid, gpu_model: "NVIDIA H100 80GB HBM3", gpu_count: 8 });
const current = (token: string) => api.get(`${V1}/jobs/current`, { token });
const register = (token: string, uuid: string) => api.post(`${V1}/jobs/current/tasks`, { token, body: node(uuid) });

/** Runs `work` with the clock pinned at `at` (the cache's bound is read from it). */
async function at<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const real = clock.now;
  clock.now = () => new Date(ms);
  try {
    return await work();
  } finally {
    clock.now = real;
  }
}

describe("join spread", () => {
  test("offered by GET /jobs/current: 10 ms per node, none for a single node", async () => {
    const big = await newJob({ node_count: 200 });
    assert.deepEqual((await current(big.token)).body.extensions.join_spread, { max_ms: 2000 });
    const one = await newJob({ node_count: 1 });
    assert.equal((await current(one.token)).body.extensions.join_spread, undefined);
  });

  test("the agent waits a random part of it before it registers", async () => {
    const started: number[] = [];
    const fake = {
      register: async () => {
        started.push(performance.now());
        return { id: String(started.length), state: "running" };
      },
    } as unknown as AgentApi;
    const job = { extensions: { join_spread: { max_ms: 400 } } } as CurrentJob;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 20 }, (_, i) => registerNode(fake, node(`spread-${i}`), job)));
    const offsets = started.map((t) => t - t0).sort((a, b) => a - b);
    assert.equal(offsets.length, 20);
    // Twenty uniform draws over 400 ms: spread out, and none past the offer (plus timer slack).
    assert.ok(offsets[19] - offsets[0] > 100, `joins spread over ${offsets[19] - offsets[0]} ms`);
    assert.ok(offsets[19] < 400 + 250, `last join after ${offsets[19]} ms`);
    // Without an offer it joins at once.
    started.length = 0;
    const t1 = performance.now();
    await registerNode(fake, node("now"), { extensions: {} } as CurrentJob);
    assert.ok(started[0] - t1 < 50);
  });
});

describe("the job row agents share", () => {
  test("nodes asking at once share one read", async () => {
    const job = await newJob();
    const db = await getDb();
    let reads = 0;
    const counting = {
      job: {
        findUnique: (args: unknown) => {
          reads++;
          return db.job.findUnique(args as never);
        },
      },
    } as unknown as Db;
    const rows = await Promise.all(Array.from({ length: 50 }, () => cachedAgentJob(counting, BigInt(job.id))));
    assert.equal(reads, 1);
    assert.ok(rows.every((r) => r?.id === BigInt(job.id)));
  });

  test("a change made elsewhere shows within AGENT_JOB_CACHE_MS; cancel and delete through the API at once", async () => {
    const ttl = env("AGENT_JOB_CACHE_MS");
    assert.ok(ttl > 0 && ttl <= 10_000, "the bound is a short one");
    const base = Date.now();
    const db = await getDb();

    // Renamed by another instance (here straight in the database): seen once the bound has passed.
    const renamed = await newJob();
    const name = `join ${jobs}`;
    await at(base, async () => {
      assert.equal((await current(renamed.token)).body.name, name);
      await db.job.update({ where: { id: BigInt(renamed.id) }, data: { name: "renamed elsewhere" } });
    });
    await at(base + ttl - 1, async () => assert.equal((await current(renamed.token)).body.name, name));
    await at(base + ttl + 1, async () => assert.equal((await current(renamed.token)).body.name, "renamed elsewhere"));

    // Cancelled through the API: its agents learn it on their next read, not a bound later.
    const cancelled = await newJob({ node_count: 2 });
    await at(base, async () => {
      assert.equal((await current(cancelled.token)).body.state, "created");
      assert.equal((await api.post(`${V1}/jobs/${cancelled.id}/cancel`, { token: eng.token })).status, 200);
      assert.equal((await current(cancelled.token)).body.state, "aborted");
      const late = await register(cancelled.token, "late");
      assert.equal(late.status, 409, late.text);
      assert.equal(late.body.error.code, "JOB_ENDED");
    });

    // Deleted through the API: its token stops working at once.
    const deleted = await newJob();
    await at(base, async () => {
      assert.equal((await current(deleted.token)).status, 200);
      const del = await api.delete(`${V1}/jobs/delete`, { token: eng.token, body: { id: deleted.id } });
      assert.equal(del.status, 200, del.text);
      assert.equal((await current(deleted.token)).status, 401);
    });
  });

  test("a job deleted elsewhere takes no node, even while its row is still shared", async () => {
    const job = await newJob({ node_count: 2 });
    const base = Date.now();
    const db = await getDb();
    await at(base, async () => {
      assert.equal((await current(job.token)).status, 200);
      await db.job.update({ where: { id: BigInt(job.id) }, data: { deletedAt: new Date(base) } });
      // The shared row still says live; the registration's own statement does not.
      const res = await register(job.token, "after-delete");
      assert.equal(res.status, 401, res.text);
      assert.equal(res.body.error.code, "CLIENT_TOKEN_INVALID");
    });
    assert.equal(await db.task.count({ where: { jobId: BigInt(job.id) } }), 0);
    const row = await db.job.findUniqueOrThrow({ where: { id: BigInt(job.id) } });
    assert.equal(row.currentNodes, 0);
  });
});
