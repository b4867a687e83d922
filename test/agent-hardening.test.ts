import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { getDb } from "../lib/db/client";
import { sweepJobs } from "../lib/jobs/lifecycle";

// Issue 10 items 7, 8 and 9: a node's finish and its job's end are atomic (and repaired by the
// sweeper), ended jobs refuse log lines, idempotency keys are per task.

let teardown: () => Promise<void>;
let eng: Awaited<ReturnType<typeof signedInUser>>;

before(async () => {
  ({ teardown } = await useFreshDatabase());
  eng = await signedInUser("customer_admin", "Atomic Co");
});
after(async () => teardown());

async function jobWithNodes(nodes: number) {
  const created = await api.post(`${V1}/jobs`, {
    token: eng.token,
    body: { benchmarks: ["quick_mark"], node_count: nodes },
  });
  assert.equal(created.status, 201, created.text);
  const tasks: string[] = [];
  for (let i = 0; i < nodes; i++) {
    const t = await api.post(`${V1}/jobs/current/tasks`, {
      token: created.body.token,
      body: { machine_uuid: `m-${created.body.id}-${i}`, gpu_model: "NVIDIA H100", gpu_count: 8 },
    });
    assert.equal(t.status, 201, t.text);
    tasks.push(t.body.id);
  }
  return { id: created.body.id as string, token: created.body.token as string, tasks };
}

const upload = (job: { token: string }, task: string, key?: string) =>
  api.post(`${V1}/jobs/current/tasks/${task}/results`, {
    token: job.token,
    body: { benchmark_id: "quick_mark", state: "completed", results: { node: task } },
    headers: key ? { "idempotency-key": key } : {},
  });
const finish = (job: { token: string }, task: string) =>
  api.post(`${V1}/jobs/current/tasks/${task}/finish`, { token: job.token, body: { state: "completed" } });
const jobState = async (id: string) =>
  (await (await getDb()).job.findUniqueOrThrow({ where: { id: BigInt(id) } })).state;
const taskState = async (id: string) =>
  (await (await getDb()).task.findUniqueOrThrow({ where: { id: BigInt(id) } })).state;

/** Makes the database refuse to end a job (a crash or restart at that very write). */
async function failJobEnds(on: boolean) {
  const db = await getDb();
  if (!on) {
    await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS test_fail_job_end ON jobs`);
    return;
  }
  await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION test_fail_job_end() RETURNS trigger AS $$
    BEGIN
      IF NEW.state IN ('completed', 'completed_with_warnings', 'failed') THEN RAISE EXCEPTION 'injected failure while ending the job'; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  await db.$executeRawUnsafe(
    `CREATE TRIGGER test_fail_job_end BEFORE UPDATE OF state ON jobs FOR EACH ROW EXECUTE FUNCTION test_fail_job_end()`,
  );
}

describe("item 7: finishing the last node ends the job atomically", () => {
  test("a failure while ending the job leaves the node running; the retried finish ends both", async () => {
    const job = await jobWithNodes(1);
    assert.equal((await upload(job, job.tasks[0])).status, 201);
    await failJobEnds(true);
    try {
      const crashed = await finish(job, job.tasks[0]);
      assert.equal(crashed.status, 500, crashed.text);
    } finally {
      await failJobEnds(false);
    }
    // One transaction: nothing of the finish was kept, so no job is left with every node ended.
    assert.equal(await taskState(job.tasks[0]), "running");
    assert.equal(await jobState(job.id), "running");
    const retried = await finish(job, job.tasks[0]);
    assert.equal(retried.status, 200, retried.text);
    assert.deepEqual(retried.body, { task_state: "completed", job_state: "completed" });
    assert.equal(await jobState(job.id), "completed");
  });

  test("a job left live with every node ended (crash between writes before this fix): a retried finish answers the true state", async () => {
    const job = await jobWithNodes(1);
    assert.equal((await upload(job, job.tasks[0])).status, 201);
    await (
      await getDb()
    ).task.update({ where: { id: BigInt(job.tasks[0]) }, data: { state: "completed", endedAt: new Date() } });
    const retried = await finish(job, job.tasks[0]);
    assert.equal(retried.status, 200, retried.text);
    assert.equal(retried.body.job_state, "completed");
  });

  test("the sweeper ends a live job whose nodes have all ended, with the state their results imply", async () => {
    const good = await jobWithNodes(2);
    for (const t of good.tasks) assert.equal((await upload(good, t)).status, 201);
    const partial = await jobWithNodes(2);
    assert.equal((await upload(partial, partial.tasks[0])).status, 201);
    const waiting = await jobWithNodes(1); // its node still runs: left alone
    const db = await getDb();
    await db.task.updateMany({
      where: { id: { in: [...good.tasks, ...partial.tasks].map(BigInt) } },
      data: { state: "completed", endedAt: new Date() },
    });

    const report = await sweepJobs(db);
    assert.ok(report.finished.includes(BigInt(good.id)));
    assert.ok(report.finished.includes(BigInt(partial.id)));
    assert.equal(await jobState(good.id), "completed");
    assert.equal(await jobState(partial.id), "completed_with_warnings");
    assert.equal(await jobState(waiting.id), "running");
    assert.deepEqual(report.expired, []);
  });
});

describe("item 8: ended jobs refuse log lines", () => {
  test("logs after the job was cancelled → 409 JOB_ENDED, like results", async () => {
    const job = await jobWithNodes(1);
    const before = await api.post(`${V1}/jobs/current/tasks/${job.tasks[0]}/logs`, {
      token: job.token,
      body: { lines: ["while running"] },
    });
    assert.equal(before.status, 202, before.text);
    assert.equal((await api.post(`${V1}/jobs/${job.id}/cancel`, { token: eng.token })).status, 200);
    const logs = await api.post(`${V1}/jobs/current/tasks/${job.tasks[0]}/logs`, {
      token: job.token,
      body: { lines: ["too late"] },
    });
    assert.equal(logs.status, 409, logs.text);
    assert.equal(logs.body.error.code, "JOB_ENDED");
    assert.ok(logs.headers.get("x-request-id"));
    const results = await upload(job, job.tasks[0]);
    assert.equal(results.body.error.code, "JOB_ENDED");
  });
});

describe("item 9: idempotency keys are per task", () => {
  test("task 2 using task 1's key stores its own result; a retry on the same task is still deduplicated", async () => {
    const job = await jobWithNodes(2);
    const first = await upload(job, job.tasks[0], "shared-key");
    assert.equal(first.status, 201, first.text);
    const second = await upload(job, job.tasks[1], "shared-key");
    assert.equal(second.status, 201, second.text);
    assert.notEqual(second.body.id, first.body.id);
    const retry = await upload(job, job.tasks[1], "shared-key");
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.body.id, second.body.id);
    const stored = await (
      await getDb()
    ).benchmarkResult.findMany({ where: { jobId: BigInt(job.id), taskId: { not: null } } });
    assert.deepEqual(stored.map((r) => String(r.taskId)).sort(), [...job.tasks].sort());
  });
});
