// The agent's writes that arrive together are stored by one statement (lib/agent/ingest.ts,
// lib/util/coalesce.ts). Over real HTTP: many nodes' uploads, retries, log lines and heartbeats
// at once are each stored exactly once and answered as they would be alone, a statement does
// carry several requests (the instance's own metric says so), and one request that the
// database refuses fails alone while the requests beside it are stored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, V1 } from "./helpers/api";
import { useHttpApp } from "./helpers/http-server";
import { rng, simulatedNodes, simulateQuickmark, nodeIdentity } from "../agent/simulate";
import { getDb } from "../lib/db/client";

const { app, post } = useHttpApp("Groups Co");

const NODES = 16;
const nodes = simulatedNodes({ gpuModel: "NVIDIA H100 80GB HBM3", nodes: NODES, degraded: 0, seed: 11 });

/** A job of NODES nodes, all registered: its id, token and task ids. */
async function jobWithNodes(name: string) {
  const res = await api.post(`${V1}/jobs`, {
    token: app.admin.token,
    body: { name, benchmarks: ["quick_mark", "cluster_network"], node_count: NODES },
  });
  assert.equal(res.status, 201, res.text);
  const job = res.body as { id: string; token: string };
  const tasks: string[] = [];
  for (const n of nodes) {
    const reg = await post("/jobs/current/tasks", job.token, nodeIdentity(n));
    assert.equal(reg.status, 201, JSON.stringify(reg.body));
    tasks.push(reg.body.id);
  }
  return { ...job, tasks };
}

/** benchboard_agent_write_requests_per_statement from this instance's Prometheus text. */
async function groupMetric(): Promise<{ requests: number; statements: number }> {
  const text = await (await fetch(`${app.server.url}/api/metrics`)).text();
  const value = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, "m"))?.[1] ?? 0);
  return {
    requests: value("benchboard_agent_write_requests_per_statement_sum"),
    statements: value("benchboard_agent_write_requests_per_statement_count"),
  };
}

test("many nodes' uploads, retries, log lines and heartbeats at once: each stored once, answered as alone", async () => {
  const job = await jobWithNodes("groups flood");
  const before = await groupMetric();
  const uploads = job.tasks.flatMap((task, i) =>
    ["quick_mark", "cluster_network"].map((benchmark_id) => ({
      task,
      key: `${benchmark_id}-${i}`,
      body:
        benchmark_id === "quick_mark"
          ? { benchmark_id, state: "completed", results: simulateQuickmark(nodes[i], rng(i)) }
          : { benchmark_id, state: "failed", error_message: `node ${i} found no peers` },
    })),
  );
  const lines = (i: number) => Array.from({ length: 5 }, (_, n) => `node ${i} line ${n}`);
  // Every upload twice (an agent's retry racing its original), every node's log lines and heartbeat.
  const [answers, logs, beats] = await Promise.all([
    Promise.all(
      [...uploads, ...uploads].map((u) =>
        post(`/jobs/current/tasks/${u.task}/results`, job.token, u.body, { "idempotency-key": u.key }),
      ),
    ),
    Promise.all(job.tasks.map((t, i) => post(`/jobs/current/tasks/${t}/logs`, job.token, { lines: lines(i) }))),
    Promise.all(
      job.tasks.map((t) =>
        post(`/jobs/current/tasks/${t}/heartbeat`, job.token, {
          progress: { benchmark_id: "quick_mark", percent: 50 },
        }),
      ),
    ),
  ]);

  for (const [i, u] of uploads.entries()) {
    const pair = [answers[i], answers[i + uploads.length]];
    assert.deepEqual(pair.map((a) => a.status).sort(), [200, 201], `${u.key}: ${JSON.stringify(pair)}`);
    assert.equal(pair[0].body.id, pair[1].body.id, `${u.key}: the retry names the stored result`);
    assert.equal(pair[0].body.benchmark_id, u.body.benchmark_id);
  }
  for (const l of logs) assert.deepEqual([l.status, l.body.accepted], [202, 5]);
  for (const b of beats) assert.deepEqual([b.status, b.body.task_state, b.body.continue], [200, "running", true]);

  const db = await getDb();
  const jobId = BigInt(job.id);
  const stored = await db.benchmarkResult.findMany({
    where: { jobId, taskId: { not: null } },
    select: { taskId: true, idempotencyKey: true, state: true },
  });
  assert.equal(stored.length, uploads.length, "every upload stored exactly once");
  assert.deepEqual(
    new Set(stored.map((r) => `${r.taskId}/${r.idempotencyKey}`)),
    new Set(uploads.map((u) => `${u.task}/${u.key}`)),
  );
  for (const [i, t] of job.tasks.entries()) {
    const logged = await db.jobLog.findMany({ where: { taskId: BigInt(t) }, orderBy: { id: "asc" } });
    assert.deepEqual(
      logged.map((l) => l.line),
      lines(i),
      `node ${i}'s lines, once, in order`,
    );
    const task = await db.task.findUniqueOrThrow({ where: { id: BigInt(t) } });
    assert.ok(task.lastHeartbeatAt, `node ${i}'s heartbeat`);
    assert.deepEqual(task.progress, { benchmark_id: "quick_mark", percent: 50 });
    assert.equal((task.performance as { status?: string } | null)?.status !== undefined, true, `node ${i}'s verdict`);
  }

  const after = await groupMetric();
  let requests = after.requests - before.requests;
  let statements = after.statements - before.statements;
  assert.equal(requests, answers.length + logs.length + beats.length, "every request went through the grouped path");
  // Requests share a statement only when they arrive while two are in the database, and a
  // quick machine once answered all 96 of the flood one by one. More floods of heartbeats
  // until some share one: a grouping that never happens fails here.
  for (let round = 0; round < 5 && statements >= requests; round++) {
    const start = await groupMetric();
    const more = await Promise.all(
      job.tasks.flatMap((t) =>
        Array.from({ length: 4 }, () => post(`/jobs/current/tasks/${t}/heartbeat`, job.token, {})),
      ),
    );
    for (const b of more) assert.equal(b.status, 200);
    const end = await groupMetric();
    requests = end.requests - start.requests;
    statements = end.statements - start.statements;
  }
  assert.ok(statements < requests, `${requests} requests in ${statements} statements: some were grouped`);
});

test("a request the database refuses fails alone; the requests grouped with it are stored", async () => {
  const job = await jobWithNodes("groups poison");
  const db = await getDb();
  await db.$executeRawUnsafe(`
    CREATE FUNCTION poison_line() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.line = 'poison' THEN RAISE EXCEPTION 'injected failure for one log line'; END IF;
      RETURN NEW;
    END $$`);
  await db.$executeRawUnsafe(
    `CREATE TRIGGER poison_line BEFORE INSERT ON job_logs FOR EACH ROW EXECUTE FUNCTION poison_line()`,
  );
  try {
    const poisoned = job.tasks.length - 1;
    const lines = (i: number) => (i === poisoned ? ["fine", "poison"] : [`node ${i} fine`]);
    // Twice over, so the poisoned request is certainly among requests that wait and leave together.
    const rounds = await Promise.all(
      [0, 1].map(() =>
        Promise.all(job.tasks.map((t, i) => post(`/jobs/current/tasks/${t}/logs`, job.token, { lines: lines(i) }))),
      ),
    );
    for (const answers of rounds) {
      for (const [i, a] of answers.entries()) {
        if (i === poisoned) assert.equal(a.status, 500, JSON.stringify(a.body));
        else assert.deepEqual([a.status, a.body.accepted], [202, 1], `node ${i}`);
      }
    }
    for (const [i, t] of job.tasks.entries()) {
      const logged = await db.jobLog.count({ where: { taskId: BigInt(t) } });
      assert.equal(logged, i === poisoned ? 0 : 2, `node ${i}'s lines`);
    }
  } finally {
    await db.$executeRawUnsafe(`DROP TRIGGER poison_line ON job_logs`);
    await db.$executeRawUnsafe(`DROP FUNCTION poison_line()`);
  }
});
