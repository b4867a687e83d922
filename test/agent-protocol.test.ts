import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { api, inProcessFetch, V1 } from "./helpers/api";
import { useHttpApp } from "./helpers/http-server";
import { waitFor } from "./helpers/wait";
import { taskCountsAndRecount } from "./helpers/task-counts";
import { signedInUser } from "./helpers/users";
import { AgentClient, AgentHttpError } from "../agent/client";
import { simulateJob } from "../agent/simulate-job";
import { getDb } from "../lib/db/client";
import { sweepJobs } from "../lib/jobs/lifecycle";
import { followLogs, logsQuerySchema } from "../lib/jobs/logs";
import { clock } from "../lib/util/clock";

const { app } = useHttpApp("Fleet Co");

async function newJob(body: Record<string, unknown>, token = app.admin.token) {
  const res = await api.post(`${V1}/jobs`, { token, body: { benchmarks: ["quick_mark"], ...body } });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: string; token: string };
}
/** Agent over real HTTP, as the CLI runs it. */
const httpAgent = (token: string) => new AgentClient({ baseUrl: app.server.url, token, backoffMs: 10 });
const agent = (token: string) =>
  new AgentClient({ baseUrl: "http://localhost", token, fetch: inProcessFetch, backoffMs: 10 });
const detail = async (id: string) => (await api.get(`${V1}/jobs/${id}`, { token: app.admin.token })).body;

describe("job runs", () => {
  test("single node over HTTP: created → completed, results, aggregate and performance stored", async () => {
    const job = await newJob({ name: "single" });
    assert.equal((await detail(job.id)).state, "created");
    await simulateJob(httpAgent(job.token), { gpuModel: "NVIDIA H100 NVL", nodes: 1, seed: 3 });
    const d = await detail(job.id);
    assert.equal(d.state, "completed");
    assert.equal(d.current_nodes, 1);
    assert.ok(d.started_at && d.ended_at && d.ended_at >= d.started_at);
    assert.equal(d.tasks.length, 1);
    const t = d.tasks[0];
    assert.equal(t.state, "completed");
    assert.equal(t.gpu_model, "NVIDIA H100 NVL");
    assert.equal(t.gpu_count, 8);
    const qm = t.benchmark_results.quick_mark;
    assert.equal(qm.state, "completed");
    assert.equal(qm.results.test_results.length, 8);
    const bf16 = qm.results.aggregate_results.bf16_tflops / 8;
    assert.ok(bf16 > 400 && bf16 < 500, `per-GPU bf16 ${bf16} near the H100 NVL's 452`);
    assert.equal(d.benchmark_results.quick_mark.results.node_count, 1);
    assert.deepEqual(d.scoreboard_summary.gpu_models, ["NVIDIA H100 NVL"]);

    const list = await api.get(`${V1}/jobs?name=single&include_results=true&include=performance,performance_nodes`, {
      token: app.admin.token,
    });
    const item = list.body.results[0];
    assert.deepEqual(item.gpu_models, ["NVIDIA H100 NVL"]);
    assert.equal(item.quickmark_aggregate_results.gpu_count, 8);
    assert.equal(item.performance.status, "ok");
    assert.equal(item.performance_nodes[0].status, "ok");
    assert.equal(item.performance_nodes[0].metrics.bf16_tflops.source, "vendor_spec");
    assert.equal(
      (await api.get(`${V1}/jobs?has_performance_data=true&name=single`, { token: app.admin.token })).body.pagination
        .total,
      1,
    );
  });

  test("4 nodes with cluster_network: all-pairs mesh aggregated at job level", async () => {
    const job = await newJob({ name: "four", node_count: 4, benchmarks: ["quick_mark", "cluster_network"] });
    await simulateJob(agent(job.token), { gpuModel: "NVIDIA H100 80GB HBM3", nodes: 4, seed: 11 });
    const d = await detail(job.id);
    assert.equal(d.state, "completed");
    const res = await api.get(`${V1}/jobs/${job.id}/results?include_display_names=true`, { token: app.admin.token });
    const cn = res.body.cluster_network;
    assert.equal(cn.benchmark_name, "Cluster Network");
    assert.equal(cn.results.total_links_tested, 12);
    assert.equal(cn.results.node_count, 4);
    assert.equal(cn.results.measurements.length, 12);
    assert.ok(cn.results.min_bandwidth_gbps <= cn.results.avg_bandwidth_gbps);
    assert.ok(cn.results.avg_bandwidth_gbps > 300, "NDR fabric");
    assert.equal(cn.display_names.avg_bandwidth_gbps, "Average Bandwidth (Gbps)");
    assert.equal(res.body.quick_mark.results.node_count, 4);
    assert.equal(res.body.quick_mark.results.gpu_count, 32);
  });

  test("a degraded node makes the job underperforming and raises alert_job_count", async () => {
    const stats = async () => (await api.get(`${V1}/jobs/stats`, { token: app.admin.token })).body.alert_job_count;
    const before = await stats();
    const job = await newJob({ name: "degraded", node_count: 4 });
    const { nodes } = await simulateJob(agent(job.token), {
      gpuModel: "NVIDIA A100-SXM4-80GB",
      nodes: 4,
      degraded: 1,
      seed: 5,
    });
    assert.equal(await stats(), before + 1);
    const item = (
      await api.get(`${V1}/jobs?name=degraded&include=performance,performance_nodes`, { token: app.admin.token })
    ).body.results[0];
    assert.equal(item.performance.status, "underperforming");
    assert.equal(item.performance.nodes_underperforming, 1);
    const bad = item.performance_nodes.filter((n: any) => n.status === "underperforming");
    assert.deepEqual(
      bad.map((n: any) => n.machine_uuid),
      [nodes[3].machine_uuid],
    );
    assert.ok(bad[0].metrics.bf16_tflops.ratio < 0.9);
    assert.equal((await detail(job.id)).scoreboard_summary.worst.machine_uuid, nodes[3].machine_uuid);
  });

  test("a failing benchmark gives completed_with_warnings; all failing gives failed", async () => {
    const warn = await newJob({ node_count: 2, benchmarks: ["quick_mark", "cluster_network"] });
    const { nodes: warnNodes } = await simulateJob(agent(warn.token), {
      gpuModel: "NVIDIA L40S",
      nodes: 2,
      seed: 2,
      failures: ["cluster_network@1"],
    });
    const w = await detail(warn.id);
    assert.equal(w.state, "completed_with_warnings");
    // Nodes register concurrently, so task order is not node order: find node 1's task.
    const failing = w.tasks.find((t: any) => t.machine_uuid === warnNodes[1].machine_uuid);
    assert.match(failing.benchmark_results.cluster_network.error_message, /NCCL/);
    assert.equal(w.benchmark_results.cluster_network.state, "completed_with_warnings");

    const bad = await newJob({});
    await simulateJob(agent(bad.token), { gpuModel: "NVIDIA L40S", nodes: 1, seed: 2, failures: ["quick_mark"] });
    const f = await detail(bad.id);
    assert.equal(f.state, "failed");
    assert.equal(f.tasks[0].state, "failed");
  });

  test("failed benchmarks are retried up to max_retry_count; the last attempt wins", async () => {
    const job = await newJob({ max_retry_count: 2 });
    let calls = 0;
    const a = agent(job.token);
    const realUpload = a.uploadResult.bind(a);
    a.uploadResult = (t, r, k) => {
      calls++;
      return realUpload(t, r, k);
    };
    // The server offers the batch upload, so the agent sends each attempt's result in a batch.
    const realBatch = a.batch.bind(a);
    a.batch = (t, b, k) => {
      calls += b.results?.length ?? 0;
      return realBatch(t, b, k);
    };
    await simulateJob(a, { gpuModel: "NVIDIA H100 NVL", nodes: 1, failures: ["quick_mark"] });
    assert.equal(calls, 3);
    assert.equal((await detail(job.id)).state, "failed");
  });
});

describe("references", () => {
  test("the fleet median replaces the vendor spec once a GPU model has enough samples", async () => {
    const realNow = clock.now;
    const prev = process.env.PERFORMANCE_FLEET_MIN_SAMPLES;
    process.env.PERFORMANCE_FLEET_MIN_SAMPLES = "3";
    try {
      const sources: string[] = [];
      for (let i = 0; i < 3; i++) {
        // Fleet references refresh at most once a minute per model.
        clock.now = () => new Date(realNow().getTime() + i * 120_000);
        const job = await newJob({ name: `fleet-${i}` });
        await simulateJob(agent(job.token), { gpuModel: "NVIDIA B200", nodes: 1, seed: 100 + i, gpuCount: 4 });
        const item = (
          await api.get(`${V1}/jobs?name=fleet-${i}&include=performance,performance_nodes`, { token: app.admin.token })
        ).body.results[0];
        sources.push(item.performance_nodes[0].metrics.bf16_tflops.source);
      }
      // Job 3 is scored after its own result made the third sample.
      assert.deepEqual(sources, ["vendor_spec", "vendor_spec", "fleet"]);
      const ref = await (
        await getDb()
      ).gpuReference.findUnique({ where: { gpuModel_metric: { gpuModel: "NVIDIA B200", metric: "bf16_tflops" } } });
      assert.equal(ref!.samples, 3);
      assert.ok(ref!.p10 <= ref!.median);
    } finally {
      clock.now = realNow;
      if (prev === undefined) delete process.env.PERFORMANCE_FLEET_MIN_SAMPLES;
      else process.env.PERFORMANCE_FLEET_MIN_SAMPLES = prev;
    }
  });
});

describe("robustness", () => {
  test("retried uploads are stored once", async () => {
    const job = await newJob({});
    const a = agent(job.token);
    const task = await a.register({ machine_uuid: "m-retry", gpu_model: "NVIDIA H100 NVL", gpu_count: 1 });
    const body = {
      benchmark_id: "quick_mark",
      state: "completed",
      results: { test_results: [{ gpu_index: 0, bf16_tflops: 450 }], aggregate_results: { bf16_tflops: 450 } },
    };
    const first = await api.post(`${V1}/jobs/current/tasks/${task.id}/results`, {
      token: job.token,
      body,
      headers: { "idempotency-key": "k1" },
    });
    const again = await api.post(`${V1}/jobs/current/tasks/${task.id}/results`, {
      token: job.token,
      body,
      headers: { "idempotency-key": "k1" },
    });
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    const sameKeyInBody = await api.post(`${V1}/jobs/current/tasks/${task.id}/results`, {
      token: job.token,
      body: { ...body, idempotency_key: "k2" },
    });
    const sameKeyInBodyAgain = await api.post(`${V1}/jobs/current/tasks/${task.id}/results`, {
      token: job.token,
      body: { ...body, idempotency_key: "k2" },
    });
    assert.equal(sameKeyInBodyAgain.body.id, sameKeyInBody.body.id);
    assert.equal(await (await getDb()).benchmarkResult.count({ where: { jobId: BigInt(job.id) } }), 2);
    // Registering the same machine again returns its task.
    const reg = await api.post(`${V1}/jobs/current/tasks`, {
      token: job.token,
      body: { machine_uuid: "m-retry", gpu_model: "NVIDIA H100 NVL", gpu_count: 1 },
    });
    assert.equal(reg.status, 200);
    assert.equal(reg.body.id, task.id);
    assert.equal((await detail(job.id)).current_nodes, 1);
  });

  test("uploads after the node or the job ended: a retry is answered, a new result is refused", async () => {
    const job = await newJob({ node_count: 2 });
    const a = agent(job.token);
    const task = await a.register({ machine_uuid: "m-end-1", gpu_model: "NVIDIA H100 NVL", gpu_count: 1 });
    await a.register({ machine_uuid: "m-end-2", gpu_model: "NVIDIA H100 NVL", gpu_count: 1 });
    const body = {
      benchmark_id: "quick_mark",
      state: "completed",
      results: { test_results: [{ gpu_index: 0, bf16_tflops: 450 }], aggregate_results: { bf16_tflops: 450 } },
    };
    const upload = (key: string) =>
      api.post(`${V1}/jobs/current/tasks/${task.id}/results`, {
        token: job.token,
        body,
        headers: { "idempotency-key": key },
      });
    const first = await upload("before-end");
    assert.equal(first.status, 201);
    // The upload stored the node's live verdict on its task.
    const stored = await (await getDb()).task.findUniqueOrThrow({ where: { id: BigInt(task.id) } });
    assert.equal((stored.performance as any)?.status, "ok");
    await a.finish(task.id, "completed");
    const retry = await upload("before-end");
    assert.equal(retry.status, 200);
    assert.equal(retry.body.id, first.body.id);
    const late = await upload("after-end");
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, "TASK_ENDED");
    assert.equal((await api.post(`${V1}/jobs/${job.id}/cancel`, { token: app.admin.token })).status, 200);
    const afterCancel = await upload("after-cancel");
    assert.equal(afterCancel.status, 409);
    assert.equal(afterCancel.body.error.code, "JOB_ENDED");
    // Only the one node result (job-level roll-ups have no task).
    assert.equal(await (await getDb()).benchmarkResult.count({ where: { taskId: BigInt(task.id) } }), 1);
  });

  test("32 agents at once: every result stored exactly once", async () => {
    const job = await newJob({ node_count: 32, benchmarks: ["quick_mark", "cluster_network"] });
    await simulateJob(agent(job.token), { gpuModel: "NVIDIA H100 80GB HBM3", nodes: 32, seed: 32, gpuCount: 2 });
    const db = await getDb();
    const d = await detail(job.id);
    assert.equal(d.state, "completed");
    assert.equal(d.current_nodes, 32);
    assert.equal(d.tasks.length, 32);
    assert.equal(await db.benchmarkResult.count({ where: { jobId: BigInt(job.id), taskId: { not: null } } }), 64);
    assert.equal(await db.benchmarkResult.count({ where: { jobId: BigInt(job.id), taskId: null } }), 2);
    assert.equal(d.benchmark_results.cluster_network.results.total_links_tested, 32 * 31);
  });

  test("a 33rd node is refused once the job is full", async () => {
    const job = await newJob({ node_count: 1 });
    const a = agent(job.token);
    await a.register({ machine_uuid: "only", gpu_model: "NVIDIA L40S", gpu_count: 4 });
    await assert.rejects(
      a.register({ machine_uuid: "extra", gpu_model: "NVIDIA L40S", gpu_count: 4 }),
      (e: AgentHttpError) => e.status === 409 && e.code === "JOB_FULL",
    );
  });

  // What a join leaves behind, for the assertions below: the job's count, its nodes, the
  // machines recorded for them, and whether the task counters still equal a recount.
  async function joinTraces(jobId: string) {
    const db = await getDb();
    const job = await db.job.findUniqueOrThrow({ where: { id: BigInt(jobId) } });
    const tasks = await db.task.findMany({ where: { jobId: job.id }, select: { machineUuid: true } });
    const machines = await db.machine.findMany({ where: { lastJobId: job.id }, select: { uuid: true } });
    const counts = await taskCountsAndRecount();
    return {
      currentNodes: job.currentNodes,
      state: job.state,
      tasks: tasks.map((t) => t.machineUuid).sort(),
      machines: machines.map((m) => m.uuid).sort(),
      countersMatch: isDeepStrictEqual(counts.kept, counts.recount),
    };
  }

  test("ten nodes racing for three places: three join, seven are refused, and nothing of theirs stays", async () => {
    const job = await newJob({ node_count: 3 });
    const uuids = Array.from({ length: 10 }, (_, i) => `race-${i}`);
    const outcomes = await Promise.allSettled(
      uuids.map((machine_uuid) =>
        httpAgent(job.token).register({ machine_uuid, gpu_model: "NVIDIA H200", gpu_count: 8 }),
      ),
    );
    const joined = uuids.filter((_, i) => outcomes[i].status === "fulfilled").sort();
    assert.equal(joined.length, 3);
    for (const o of outcomes)
      if (o.status === "rejected") assert.equal((o.reason as AgentHttpError).code, "JOB_FULL", String(o.reason));
    assert.deepEqual(await joinTraces(job.id), {
      currentNodes: 3,
      state: "running",
      tasks: joined,
      machines: joined,
      countersMatch: true,
    });
  });

  test(
    "a node whose place is taken while it joins is refused, and nothing of it stays",
    { skip: !process.env.TEST_DATABASE_URL && "needs a second connection: TEST_DATABASE_URL" },
    async () => {
      const job = await newJob({ node_count: 1 });
      const { default: pg } = await import("pg");
      const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await other.connect();
      try {
        // Another session fills the job and holds its row, uncommitted: the join waits for the
        // row, then must see the job full.
        await other.query("BEGIN");
        await other.query(`UPDATE jobs SET current_nodes = 1, state = 'running' WHERE id = $1`, [job.id]);
        const late = httpAgent(job.token).register({ machine_uuid: "late", gpu_model: "NVIDIA H200", gpu_count: 8 });
        late.catch(() => undefined); // awaited below
        const lockWaits = `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        await waitFor(
          async () => !!(await other.query(lockWaits)).rowCount,
          5_000,
          "the join to wait for the job's row",
        );
        await other.query("COMMIT");
        await assert.rejects(late, (e: AgentHttpError) => e.status === 409 && e.code === "JOB_FULL");
        const after = await joinTraces(job.id);
        assert.deepEqual([after.tasks, after.machines, after.currentNodes], [[], [], 1]);
        assert.ok(after.countersMatch, "the refused node left the counters as they were");
      } finally {
        await other.end();
      }
    },
  );

  test("bad agent payloads are 400s", async () => {
    const job = await newJob({});
    const post = (path: string, body: unknown) => api.post(`${V1}/jobs/current${path}`, { token: job.token, body });
    assert.equal((await post("/tasks", { machine_uuid: "x" })).status, 400);
    assert.equal((await post("/tasks", { machine_uuid: "bad uuid!", gpu_model: "x", gpu_count: 1 })).status, 400);
    const task = (await post("/tasks", { machine_uuid: "ok-node", gpu_model: "NVIDIA L40S", gpu_count: 4 })).body;
    assert.equal((await post(`/tasks/${task.id}/results`, { benchmark_id: "quick_mark", state: "maybe" })).status, 400);
    assert.equal(
      (await post(`/tasks/${task.id}/results`, { benchmark_id: "cluster_network", state: "completed" })).status,
      400,
      "not in this job",
    );
    assert.equal(
      (
        await post(`/tasks/${task.id}/results`, {
          benchmark_id: "quick_mark",
          state: "completed",
          started_at: "yesterday",
        })
      ).status,
      400,
    );
    assert.equal((await post(`/tasks/${task.id}/logs`, { lines: [] })).status, 400);
    assert.equal((await post(`/tasks/${task.id}/finish`, { state: "done" })).status, 400);
    assert.equal((await post(`/tasks/abc/heartbeat`, {})).status, 400);
    assert.equal((await post(`/tasks/1/heartbeat`, {})).status, 404);
  });
});

describe("job token scope", () => {
  test("a job token opens only its own job's agent endpoints", async () => {
    const a = await newJob({});
    const b = await newJob({});
    const taskB = await agent(b.token).register({ machine_uuid: "node-b", gpu_model: "NVIDIA L40S", gpu_count: 4 });
    const asA = (path: string, body?: unknown) =>
      api.post(`${V1}/jobs/current${path}`, { token: a.token, body: body ?? {} });
    assert.equal((await asA(`/tasks/${taskB.id}/heartbeat`)).status, 404);
    assert.equal(
      (await asA(`/tasks/${taskB.id}/results`, { benchmark_id: "quick_mark", state: "completed" })).status,
      404,
    );
    assert.equal((await asA(`/tasks/${taskB.id}/finish`, { state: "failed" })).status, 404);
    assert.equal((await api.get(`${V1}/jobs/current`, { token: a.token })).body.id, a.id);
    for (const path of [`/jobs`, `/jobs/${a.id}`, `/jobs/tags`, `/jobs/stats`, `/benchmarks`]) {
      assert.equal((await api.get(`${V1}${path}`, { token: a.token })).status, 401, path);
    }
    assert.equal(
      (await api.get(`${V1}/jobs/current`, { token: app.admin.token })).status,
      401,
      "user tokens cannot act as agents",
    );
    assert.equal((await api.get(`${V1}/jobs/current`)).status, 401);
  });

  test("a deleted job's token stops working", async () => {
    const job = await newJob({});
    await api.delete(`${V1}/jobs/delete`, { token: app.admin.token, body: { id: job.id } });
    assert.equal((await api.get(`${V1}/jobs/current`, { token: job.token })).status, 401);
  });
});

describe("ending early", () => {
  test("cancel: a running job ends aborted, agents are told to stop, second cancel is 409", async () => {
    const job = await newJob({ node_count: 2 });
    const a = agent(job.token);
    const t1 = await a.register({ machine_uuid: "c1", gpu_model: "NVIDIA L40S", gpu_count: 4 });
    await a.logs(t1.id, ["starting quick_mark"]);
    const res = await api.post(`${V1}/jobs/${job.id}/cancel`, { token: app.admin.token });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.state, "aborted");
    const d = await detail(job.id);
    assert.equal(d.state, "aborted");
    assert.match(d.tasks[0].failed_message, /Cancelled by/);
    const hb = await a.heartbeat(t1.id);
    assert.equal(hb.continue, false);
    assert.equal(hb.job_state, "aborted");
    await assert.rejects(
      a.register({ machine_uuid: "c2", gpu_model: "NVIDIA L40S", gpu_count: 4 }),
      (e: AgentHttpError) => e.status === 409,
    );
    const again = await api.post(`${V1}/jobs/${job.id}/cancel`, { token: app.admin.token });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "INVALID_JOB_STATE");
    const outsider = await signedInUser("user", "Other Co");
    assert.equal((await api.post(`${V1}/jobs/${job.id}/cancel`, { token: outsider.token })).status, 404);
  });

  test("expiry, join timeout, run timeout and lost heartbeats end jobs as aborted", async () => {
    const db = await getDb();
    const state = async (id: string) => (await db.job.findUniqueOrThrow({ where: { id: BigInt(id) } })).state;
    // Read from the database: at +25 h the test user's access token has expired too.
    const message = async (id: string) =>
      (await db.job.findUniqueOrThrow({ where: { id: BigInt(id) } })).failedMessage ?? "";
    const expiring = await newJob({ name: "expiring" });
    const joinTimeout = await newJob({ name: "join-timeout", node_count: 3, max_timeout_assign_ms: 600_000 });
    await agent(joinTimeout.token).register({ machine_uuid: "j1", gpu_model: "NVIDIA L40S", gpu_count: 4 });
    const lost = await newJob({ name: "lost" });
    await agent(lost.token).register({ machine_uuid: "l1", gpu_model: "NVIDIA L40S", gpu_count: 4 });
    const slow = await newJob({ name: "slow", max_timeout_run_ms: 180_000 });
    const slowAgent = agent(slow.token);
    const slowTask = await slowAgent.register({ machine_uuid: "s1", gpu_model: "NVIDIA L40S", gpu_count: 4 });
    const realNow = clock.now;
    const at = (ms: number) => (clock.now = () => new Date(realNow().getTime() + ms));
    try {
      at(2 * 60_000);
      await slowAgent.heartbeat(slowTask.id);
      await sweepJobs(db);
      for (const j of [expiring, joinTimeout, lost, slow])
        assert.notEqual(await state(j.id), "aborted", "nothing is due yet");

      at(4 * 60_000);
      await slowAgent.heartbeat(slowTask.id);
      await sweepJobs(db);
      assert.equal(await state(slow.id), "aborted");
      assert.match(await message(slow.id), /did not finish within max_timeout_run_ms \(180 s/);
      assert.equal(await state(lost.id), "running", "4 min < 5 min heartbeat timeout");

      at(11 * 60_000);
      await sweepJobs(db);
      assert.equal(await state(joinTimeout.id), "aborted");
      assert.equal(await message(joinTimeout.id), "Only 1 of 3 nodes joined within 600 s");
      assert.equal(await state(lost.id), "aborted");
      assert.match(await message(lost.id), /Node l1 stopped heartbeating/);
      assert.equal(await state(expiring.id), "created");

      at(25 * 3600_000);
      await sweepJobs(db);
      assert.equal(await state(expiring.id), "aborted");
      assert.match(await message(expiring.id), /expired/);
      assert.equal((await api.get(`${V1}/jobs/current`, { token: expiring.token })).status, 401, "token expired");
    } finally {
      clock.now = realNow;
    }
  });

  test("node requirements refuse what does not fit, with the reason recorded", async () => {
    const job = await newJob({ gpu_name: "H100", gpu_count: 8 });
    const a = agent(job.token);
    await assert.rejects(
      a.register({ machine_uuid: "wrong-gpu", gpu_model: "NVIDIA A100-SXM4-80GB", gpu_count: 8 }),
      (e: AgentHttpError) => e.status === 422 && /does not match/.test(e.message),
    );
    await assert.rejects(
      a.register({ machine_uuid: "too-few", gpu_model: "NVIDIA H100 NVL", gpu_count: 4 }),
      (e: AgentHttpError) => e.status === 422 && /at least 8/.test(e.message),
    );
    const d = await detail(job.id);
    assert.equal(d.current_nodes, 0);
    assert.deepEqual(
      d.tasks.map((t: any) => t.state),
      ["rejected", "rejected"],
    );
    assert.match(d.tasks[0].failed_message, /does not match the required 'H100'/);
    await a.register({ machine_uuid: "fits", gpu_model: "NVIDIA H100 NVL", gpu_count: 8 });
    assert.equal((await detail(job.id)).state, "running");
  });
});

describe("logs and catalog", () => {
  test("GET /jobs/{id}/logs: tail, timestamps, follow as server-sent events", async () => {
    const job = await newJob({});
    const a = agent(job.token);
    const t = await a.register({ machine_uuid: "log-node", gpu_model: "NVIDIA L40S", gpu_count: 4 });
    await a.logs(t.id, ["one", "two", "three\nfour"]);
    const tail = await api.get(`${V1}/jobs/${job.id}/logs?tail=2&timestamps=false`, { token: app.admin.token });
    assert.equal(tail.status, 200);
    assert.equal(tail.text, "three\nfour\n");
    const stamped = await api.get(`${V1}/jobs/${job.id}/logs`, { token: app.admin.token });
    assert.match(stamped.text.split("\n")[0], /^\d{4}-\d{2}-\d{2}T[\d:.]+Z one$/);
    assert.equal((await api.get(`${V1}/jobs/${job.id}/logs?tail=-1`, { token: app.admin.token })).status, 400);
    // follow: the stream carries later lines and ends when the job ends.
    const res = await fetch(`${app.server.url}${V1}/jobs/${job.id}/logs?follow=true&timestamps=false&tail=1`, {
      headers: { authorization: `Bearer ${app.admin.token}` },
    });
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    setTimeout(async () => {
      await a.logs(t.id, ["later line"]);
      await a.finish(t.id, "failed", "stop");
    }, 300);
    const text = await res.text();
    assert.match(text, /data: four\n\n/);
    assert.match(text, /data: later line\n\n/);
    assert.match(text, /event: end\ndata: failed/);
  });

  test("follow answers a quiet job at once, and keeps the stream alive between lines", async () => {
    // A running node that has logged nothing: there is no tail to send, yet the follower must
    // get its headers (and EventSource its `open`) now, not when a first line comes.
    const job = await newJob({});
    const a = agent(job.token);
    const t = await a.register({ machine_uuid: "quiet-node", gpu_model: "NVIDIA L40S", gpu_count: 4 });
    const controller = new AbortController();
    const opened = await Promise.race([
      fetch(`${app.server.url}${V1}/jobs/${job.id}/logs?follow=true&timestamps=false`, {
        headers: { authorization: `Bearer ${app.admin.token}` },
        signal: controller.signal,
      }),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 3000)),
    ]);
    try {
      assert.ok(opened, "no response within 3 s for a job with no log lines");
      assert.equal(opened.status, 200);
      const first = await opened.body!.getReader().read();
      assert.equal(new TextDecoder().decode(first.value), `: following job ${job.id}\n\n`);
    } finally {
      controller.abort();
    }

    // Silence between lines is broken by comments, which EventSource ignores.
    const db = await getDb();
    const quiet = new AbortController();
    const { customerId } = await db.user.findUniqueOrThrow({
      where: { id: app.admin.id },
      select: { customerId: true },
    });
    const caller = { userId: app.admin.id, customerId, role: app.admin.role, email: app.admin.email };
    const stream = await followLogs(db, caller, BigInt(job.id), logsQuerySchema.parse({}), quiet.signal, 20, 50);
    const reader = stream.getReader();
    let text = "";
    while (!text.includes(": keepalive\n\n")) text += new TextDecoder().decode((await reader.read()).value);
    await a.logs(t.id, ["after the silence"]);
    while (!text.includes("after the silence")) text += new TextDecoder().decode((await reader.read()).value);
    quiet.abort();
    assert.match(text, /^: following job \d+\n\n(: keepalive\n\n)+/);
    assert.match(text, /data: .*after the silence\n\n/);
  });

  test("follow sends a line that commits after a later-numbered one, once", { timeout: 30_000 }, async () => {
    // Two uploads take ids 1 and 2 from the sequence, and id 2 commits first: the follower
    // must still send id 1 when it appears, and neither line twice.
    const job = await newJob({});
    const a = agent(job.token);
    const t = await a.register({ machine_uuid: "late-commit", gpu_model: "NVIDIA L40S", gpu_count: 4 });
    await a.logs(t.id, ["before"]);
    const db = await getDb();
    const [{ first, second }] = await db.$queryRaw<{ first: bigint; second: bigint }[]>`
      SELECT nextval(pg_get_serial_sequence('job_logs', 'id')) AS first, nextval(pg_get_serial_sequence('job_logs', 'id')) AS second`;
    const res = await fetch(`${app.server.url}${V1}/jobs/${job.id}/logs?follow=true&timestamps=false&tail=1`, {
      headers: { authorization: `Bearer ${app.admin.token}` },
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended without ${needle}: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil("data: before\n\n");
    await db.jobLog.create({ data: { id: second, jobId: BigInt(job.id), taskId: BigInt(t.id), line: "second" } });
    await readUntil("data: second\n\n");
    await db.jobLog.create({ data: { id: first, jobId: BigInt(job.id), taskId: BigInt(t.id), line: "first" } });
    await readUntil("data: first\n\n");
    await a.finish(t.id, "completed");
    await readUntil("event: end");
    const lines = text
      .slice(0, text.indexOf("event: end"))
      .split("\n")
      .filter((l) => l.startsWith("data: "));
    assert.deepEqual(lines, ["data: before", "data: second", "data: first"]);
  });

  test("GET /benchmarks describes quick_mark and cluster_network", async () => {
    const res = await api.get(`${V1}/benchmarks`, { token: app.admin.token });
    assert.equal(res.status, 200);
    const qm = res.body.benchmarks.find((b: any) => b.id === "quick_mark");
    assert.equal(qm.result_fields.find((f: any) => f.key === "memory_bandwidth_gbs").unit, "GB/s");
    assert.equal(qm.config_schema.type, "object");
    const cn = res.body.benchmarks.find((b: any) => b.id === "cluster_network");
    assert.equal(cn.min_nodes, 2);
  });
});
