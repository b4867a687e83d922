// The batch upload extension (POST /jobs/current/tasks/{task_id}/batch) over real HTTP, and the
// agent using it when GET /jobs/current offers it — and the seed's single calls when not.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { api, V1 } from "./helpers/api";
import { useHttpApp } from "./helpers/http-server";
import { AgentClient, AgentHttpError } from "../agent/client";
import { simulateJob } from "../agent/simulate-job";
import { rng, simulatedNodes, simulateQuickmark, nodeIdentity } from "../agent/simulate";
import { getDb } from "../lib/db/client";

const { app, post } = useHttpApp("Batch Co");

let jobs = 0;
async function newJob(body: Record<string, unknown> = {}) {
  const res = await api.post(`${V1}/jobs`, {
    token: app.admin.token,
    body: { name: `batch ${++jobs}`, benchmarks: ["quick_mark", "cluster_network"], ...body },
  });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: string; token: string };
}

const node = nodeIdentity(simulatedNodes({ gpuModel: "NVIDIA H100 80GB HBM3", nodes: 1, degraded: 0, seed: 5 })[0]);
const quickmark = () =>
  simulateQuickmark(simulatedNodes({ gpuModel: "NVIDIA H100 80GB HBM3", nodes: 1, degraded: 0, seed: 5 })[0], rng(3));

async function registered(job: { token: string }, identity: Record<string, unknown> = node) {
  const res = await post("/jobs/current/tasks", job.token, identity);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

/** Node results (job-level roll-ups left out) and log lines stored for a job. */
async function counts(jobId: string) {
  const db = await getDb();
  const [results, lines] = await Promise.all([
    db.benchmarkResult.count({ where: { jobId: BigInt(jobId), taskId: { not: null } } }),
    db.jobLog.count({ where: { jobId: BigInt(jobId) } }),
  ]);
  return { results, lines };
}

const lines20 = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);

describe("batch upload", () => {
  test("GET /jobs/current offers it", async () => {
    const job = await newJob();
    const res = await fetch(`${app.server.url}${V1}/jobs/current`, {
      headers: { authorization: `Bearer ${job.token}` },
    });
    const body = await res.json();
    assert.deepEqual(body.extensions.batch_upload, {
      path: "/jobs/current/tasks/{task_id}/batch",
      max_results: 100,
      max_log_lines: 1000,
    });
  });

  test("results, log lines and a heartbeat in one request; a retry stores nothing twice", async () => {
    const job = await newJob();
    const task = await registered(job);
    const batch = {
      logs: { lines: lines20 },
      results: [
        { benchmark_id: "quick_mark", state: "completed", results: quickmark(), idempotency_key: "qm-1" },
        { benchmark_id: "cluster_network", state: "failed", error_message: "no peers", idempotency_key: "cn-1" },
      ],
      heartbeat: { progress: { benchmark_id: "cluster_network", step: 2, steps: 2, percent: 100 } },
    };
    const first = await post(`/jobs/current/tasks/${task}/batch`, job.token, batch, { "idempotency-key": "b-1" });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body.logs, { status: 202, accepted: 20 });
    assert.equal(first.body.results.length, 2);
    assert.deepEqual(
      first.body.results.map((r: { status: number; benchmark_id: string; state: string }) => [
        r.status,
        r.benchmark_id,
        r.state,
      ]),
      [
        [201, "quick_mark", "completed"],
        [201, "cluster_network", "failed"],
      ],
    );
    assert.deepEqual(first.body.heartbeat, {
      status: 200,
      job_state: "running",
      task_state: "running",
      continue: true,
    });
    assert.deepEqual(await counts(job.id), { results: 2, lines: 20 });

    const again = await post(`/jobs/current/tasks/${task}/batch`, job.token, batch, { "idempotency-key": "b-1" });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.logs, { status: 200, accepted: 20 });
    assert.deepEqual(
      again.body.results.map((r: { status: number; id: string }) => [r.status, r.id]),
      first.body.results.map((r: { id: string }) => [200, r.id]),
    );
    assert.deepEqual(await counts(job.id), { results: 2, lines: 20 }, "nothing stored twice");

    // What a reader sees: the lines in order, the results on the task, the node's verdict and progress.
    const logs = await api.get(`${V1}/jobs/${job.id}/logs?tail=100&timestamps=false`, { token: app.admin.token });
    assert.equal(logs.status, 200);
    assert.deepEqual(
      logs.text
        .trim()
        .split("\n")
        .slice(-20)
        .map((l: string) => l.replace(/^.*?line/, "line")),
      lines20,
    );
    const detail = (await api.get(`${V1}/jobs/${job.id}`, { token: app.admin.token })).body;
    const t = detail.tasks[0];
    assert.equal(t.benchmark_results.quick_mark.state, "completed");
    assert.equal(t.benchmark_results.cluster_network.error_message, "no peers");
    const db = await getDb();
    const row = await db.task.findUniqueOrThrow({ where: { id: BigInt(task) } });
    assert.equal((row.performance as { status: string }).status, "ok");
    assert.equal((row.progress as { percent: number }).percent, 100);
    assert.ok(row.bytesUploaded > 0n);
  });

  test("each part's error is its own; the others are stored", async () => {
    const job = await newJob({ benchmarks: ["quick_mark"] });
    const task = await registered(job);
    const res = await post(`/jobs/current/tasks/${task}/batch`, job.token, {
      results: [
        { benchmark_id: "cluster_network", state: "completed", results: {}, idempotency_key: "not-in-job" },
        { benchmark_id: "quick_mark", state: "completed", results: quickmark(), idempotency_key: "ok" },
      ],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.results[0].status, 400);
    assert.equal(res.body.results[0].error.code, "PARAMETER_INCORRECT_VALUE");
    assert.match(res.body.results[0].error.message, /cluster_network.*not part of job/);
    assert.equal(res.body.results[1].status, 201);
    assert.equal(res.body.logs, undefined);
    assert.equal(res.body.heartbeat, undefined);
    assert.deepEqual(await counts(job.id), { results: 1, lines: 0 });
  });

  test("a malformed body is a 400 for the whole request and stores nothing", async () => {
    const job = await newJob();
    const task = await registered(job);
    const path = `/jobs/current/tasks/${task}/batch`;
    const cases: [unknown, RegExp][] = [
      [{}, /at least one of results, logs, heartbeat/],
      [{ result: [] }, /result/],
      [{ results: {} }, /results/],
      [{ logs: ["a"] }, /logs/],
      [
        {
          logs: { lines: ["kept?"] },
          results: [
            { benchmark_id: "quick_mark", state: "completed", results: {} },
            { benchmark_id: "quick_mark", state: "done" },
          ],
        },
        /results\.1\.state/,
      ],
      [{ results: Array.from({ length: 101 }, () => ({ benchmark_id: "quick_mark", state: "failed" })) }, /results/],
      [{ logs: { lines: Array.from({ length: 1001 }, () => "x") } }, /logs\.lines/],
      ["[1,2", /JSON|json/],
      [[], /object|expected/i],
    ];
    for (const [body, message] of cases) {
      const res = await post(path, job.token, body);
      assert.equal(res.status, 400, `${JSON.stringify(body).slice(0, 80)} → ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, "PARAMETER_INCORRECT_VALUE");
      assert.match(res.body.error.message, message);
    }
    assert.deepEqual(await counts(job.id), { results: 0, lines: 0 });
  });

  test("same authentication as the single calls: job token of this job only", async () => {
    const job = await newJob();
    const other = await newJob();
    const task = await registered(job);
    const body = { heartbeat: {} };
    assert.equal((await post(`/jobs/current/tasks/${task}/batch`, app.admin.token, body)).status, 401, "user token");
    assert.equal((await post(`/jobs/current/tasks/${task}/batch`, "nonsense", body)).status, 401);
    const foreign = await post(`/jobs/current/tasks/${task}/batch`, other.token, body);
    assert.equal(foreign.status, 404, "another job's task");
    assert.equal(foreign.body.error.code, "RESOURCE_NOT_FOUND");
    assert.equal((await post(`/jobs/current/tasks/99999999/batch`, job.token, body)).status, 404);
  });

  test("after the job ended: writes refused per part, the heartbeat says stop; retries still answered", async () => {
    const job = await newJob({ benchmarks: ["quick_mark"] });
    const task = await registered(job);
    const stored = await post(`/jobs/current/tasks/${task}/batch`, job.token, {
      results: [{ benchmark_id: "quick_mark", state: "completed", results: quickmark(), idempotency_key: "k1" }],
    });
    assert.equal(stored.body.results[0].status, 201);
    assert.equal((await api.post(`${V1}/jobs/${job.id}/cancel`, { token: app.admin.token })).status, 200);
    const res = await post(
      `/jobs/current/tasks/${task}/batch`,
      job.token,
      {
        logs: { lines: ["late"] },
        results: [{ benchmark_id: "quick_mark", state: "completed", results: quickmark(), idempotency_key: "k2" }],
        heartbeat: {},
      },
      { "idempotency-key": "late-batch" },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.logs.status, 409);
    assert.equal(res.body.logs.error.code, "JOB_ENDED");
    assert.equal(res.body.results[0].status, 409);
    assert.equal(res.body.results[0].error.code, "JOB_ENDED");
    assert.equal(res.body.heartbeat.continue, false);
    assert.equal(res.body.heartbeat.job_state, "aborted");
    assert.deepEqual(await counts(job.id), { results: 1, lines: 0 });
  });

  test("a finished node's retry is answered; a new result is refused (TASK_ENDED)", async () => {
    const job = await newJob({ benchmarks: ["quick_mark"], node_count: 2 });
    const task = await registered(job);
    await registered(job, { ...node, machine_uuid: "other-node" });
    const item = { benchmark_id: "quick_mark", state: "completed", results: quickmark(), idempotency_key: "r1" };
    const first = await post(`/jobs/current/tasks/${task}/batch`, job.token, { results: [item] });
    assert.equal((await post(`/jobs/current/tasks/${task}/finish`, job.token, { state: "completed" })).status, 200);
    const res = await post(`/jobs/current/tasks/${task}/batch`, job.token, {
      results: [item, { ...item, idempotency_key: "r2" }],
    });
    assert.equal(res.body.results[0].status, 200);
    assert.equal(res.body.results[0].id, first.body.results[0].id);
    assert.equal(res.body.results[1].status, 409);
    assert.equal(res.body.results[1].error.code, "TASK_ENDED");
  });

  test("the same batch sent five times at once is stored once", async () => {
    const job = await newJob({ benchmarks: ["quick_mark"] });
    const task = await registered(job);
    const batch = {
      logs: { lines: lines20 },
      results: [
        { benchmark_id: "quick_mark", state: "failed", error_message: "x", idempotency_key: "a" },
        { benchmark_id: "quick_mark", state: "failed", error_message: "x", idempotency_key: "a" },
        { benchmark_id: "quick_mark", state: "completed", results: quickmark(), idempotency_key: "b" },
      ],
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        post(`/jobs/current/tasks/${task}/batch`, job.token, batch, { "idempotency-key": "same" }),
      ),
    );
    for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
    const ids = new Set(answers.flatMap((a) => a.body.results.map((r: { id: string }) => r.id)));
    assert.equal(ids.size, 2, "two distinct keys, two rows");
    assert.equal(answers.filter((a) => a.body.logs.status === 202).length, 1, "one request stored the lines");
    assert.equal(answers.flatMap((a) => a.body.results).filter((r: { status: number }) => r.status === 201).length, 2);
    assert.deepEqual(await counts(job.id), { results: 2, lines: 20 });
  });
});

describe("the agent", () => {
  /** The agent over real HTTP, counting the paths it calls; `seedServer` hides the offer as a seed server would. */
  function countingAgent(token: string, seedServer: boolean) {
    const calls: string[] = [];
    const agentFetch: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      calls.push(`${init?.method ?? "GET"} ${url.pathname.replace(/\/tasks\/\d+\//, "/tasks/{id}/")}`);
      const res = await fetch(input, init);
      if (!seedServer || url.pathname !== `${V1}/jobs/current`) return res;
      const { extensions: _x, ...seed } = await res.json();
      return new Response(JSON.stringify(seed), { status: res.status, headers: res.headers });
    };
    return { client: new AgentClient({ baseUrl: app.server.url, token, fetch: agentFetch, backoffMs: 10 }), calls };
  }

  for (const seedServer of [false, true]) {
    test(`runs a 3-node job with ${seedServer ? "the seed's single calls (no offer)" : "batch uploads (offered)"}`, async () => {
      const job = await newJob({ node_count: 3 });
      const { client, calls } = countingAgent(job.token, seedServer);
      await simulateJob(client, { gpuModel: "NVIDIA H100 80GB HBM3", nodes: 3, seed: 21 });
      const batches = calls.filter((c) => c.endsWith("/batch")).length;
      const singles = calls.filter((c) => c.endsWith("/results") || c.endsWith("/logs")).length;
      // Steps are quicker than the heartbeat interval here, so only the progress heartbeats count.
      const heartbeats = calls.filter((c) => c.endsWith("/heartbeat")).length;
      if (seedServer) {
        assert.equal(batches, 0);
        assert.equal(singles, 3 * 2 * 2, "per node and step: a log call and a result upload");
        assert.equal(heartbeats, 3 * (2 + 1), "per node: one before each step and one before finishing");
      } else {
        assert.equal(batches, 3 * 2, "per node and step: one batch");
        assert.equal(singles, 0);
        // The batch's own heartbeat answers for the next step and for the finish.
        assert.equal(heartbeats, 3, "per node: only the one before the first step");
      }
      const d = (await api.get(`${V1}/jobs/${job.id}`, { token: app.admin.token })).body;
      assert.equal(d.state, "completed");
      for (const t of d.tasks) {
        assert.equal(t.state, "completed");
        assert.equal(t.benchmark_results.quick_mark.state, "completed");
        assert.equal(t.benchmark_results.cluster_network.state, "completed");
      }
      assert.equal(d.benchmark_results.cluster_network.state, "completed");
      assert.equal((await counts(job.id)).results, 3 * 2);
      const logs = await api.get(`${V1}/jobs/${job.id}/logs?tail=1000`, { token: app.admin.token });
      assert.equal((logs.text.match(/quick_mark: attempt 1 completed/g) ?? []).length, 3);
    });
  }

  test("a part the server refuses is thrown as the single call's error", async () => {
    const job = await newJob({ benchmarks: ["quick_mark"] });
    const client = new AgentClient({ baseUrl: app.server.url, token: job.token, backoffMs: 10 });
    const task = await client.register(node);
    await assert.rejects(
      client.batch(task.id, { results: [{ benchmark_id: "nope", state: "failed" }] }, "k"),
      (err: unknown) => err instanceof AgentHttpError && err.status === 400 && /nope/.test(err.message),
    );
  });
});

describe("registration", () => {
  test("nodes joining at once: exactly node_count join, a repeat finds its task, the rest are JOB_FULL", async () => {
    const job = await newJob({ node_count: 20, benchmarks: ["quick_mark"] });
    const identity = (i: number) => ({ ...node, machine_uuid: `rush-${i}`, hostname: `rush-${i}` });
    const first = await post("/jobs/current/tasks", job.token, identity(0));
    assert.equal(first.status, 201);
    // Then 25 more machines and 4 repeats of machine 0, all at once.
    const answers = await Promise.all([
      ...Array.from({ length: 25 }, (_, i) => post("/jobs/current/tasks", job.token, identity(i + 1))),
      ...Array.from({ length: 4 }, () => post("/jobs/current/tasks", job.token, identity(0))),
    ]);
    const status = (code: number) => answers.filter((a) => a.status === code);
    assert.equal(status(201).length, 19, JSON.stringify(answers.map((a) => a.status)));
    assert.equal(status(409).length, 6);
    assert.ok(status(409).every((a) => a.body.error.code === "JOB_FULL"));
    assert.deepEqual(
      status(200).map((a) => a.body.id),
      Array(4).fill(first.body.id),
      "a repeat finds its task",
    );
    const d = (await api.get(`${V1}/jobs/${job.id}`, { token: app.admin.token })).body;
    assert.equal(d.state, "running");
    assert.equal(d.current_nodes, 20);
    assert.equal(d.tasks.filter((t: { state: string }) => t.state === "running").length, 20);
    const db = await getDb();
    const machines = await db.machine.count({ where: { uuid: { startsWith: "rush-" } } });
    assert.equal(machines, 20, "a machine row per joined node");
    const row = await db.job.findUniqueOrThrow({ where: { id: BigInt(job.id) } });
    assert.deepEqual(row.gpuModels, ["NVIDIA H100 80GB HBM3"]);
    assert.ok(row.startedAt);
  });
});
