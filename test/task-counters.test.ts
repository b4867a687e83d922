// The trigger-kept task counters behind GET /tasks's total and the running nodes behind GET
// /server's usage (migration 20261130090000_task_counters) must always equal counting the
// tasks themselves — through node registration, state changes, owner changes, soft delete,
// restore and hard delete — for every role's scope.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { getDb } from "../lib/db/client";
import { clock } from "../lib/util/clock";
import { TASK_STATES } from "../lib/tasks/schemas";
import { LIVE_TASKS, taskCountsAndRecount } from "./helpers/task-counts";

let teardown: () => Promise<void>;
let ada: SignedInUser, bob: SignedInUser, acmeAdmin: SignedInUser, gus: SignedInUser, root: SignedInUser;
const realNow = clock.now;
const T0 = new Date("2026-11-20T10:00:00.123Z").getTime();
const at = (seconds: number) => () => new Date(T0 + seconds * 1000);

before(async () => {
  ({ teardown } = await useFreshDatabase());
  ada = await signedInUser("user", "Acme");
  bob = await signedInUser("user", "Acme");
  acmeAdmin = await signedInUser("customer_admin", "Acme");
  gus = await signedInUser("user", "Globex");
  root = await signedInUser("root_admin", "Ops");
});
after(async () => {
  clock.now = realNow;
  await teardown();
});

async function createJob(owner: SignedInUser, name: string, nodes: number): Promise<{ id: string; token: string }> {
  const res = await api.post(`${V1}/jobs`, {
    token: owner.token,
    body: { name, benchmarks: ["quick_mark"], node_count: nodes },
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function agentPost(token: string, path: string, body: unknown): Promise<{ id: string }> {
  const res = await api.post(`${V1}/jobs/current${path}`, { token, body });
  assert.ok(res.status < 300, `${path}: ${res.status} ${res.text}`);
  return res.body;
}

const node = (uuid: string) => ({ machine_uuid: uuid, gpu_model: "NVIDIA H100 NVL", gpu_count: 1 });

/** Every role's read scope as SQL on tasks (their copies of the job's customer and user). */
async function scopes(): Promise<[SignedInUser, string][]> {
  const db = await getDb();
  const acme = (await db.customer.findUniqueOrThrow({ where: { name: "Acme" } })).id;
  const globex = (await db.customer.findUniqueOrThrow({ where: { name: "Globex" } })).id;
  return [
    [ada, `t.customer_id = ${acme} AND t.user_id = ${ada.id}`],
    [bob, `t.customer_id = ${acme} AND t.user_id = ${bob.id}`],
    [acmeAdmin, `t.customer_id = ${acme}`],
    [gus, `t.customer_id = ${globex} AND t.user_id = ${gus.id}`],
    [root, "TRUE"],
  ];
}

/** GET /tasks's total and first page for every role and state equal counting the tasks. */
async function assertTasksMatch(step: string) {
  const db = await getDb();
  for (const [who, scope] of await scopes()) {
    for (const state of [undefined, ...TASK_STATES]) {
      const filter = state ? `t.state = '${state}'` : "TRUE";
      const res = await api.get(`${V1}/tasks?per_page=5${state ? `&state=${state}` : ""}`, { token: who.token });
      assert.equal(res.status, 200, res.text);
      const [{ n }] = await db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n ${LIVE_TASKS} AND ${scope} AND ${filter}`,
      );
      assert.equal(res.body.pagination.total, n, `${step}: ${who.email} state=${state ?? "any"} total`);
      assert.equal(res.body.pagination.pages, Math.ceil(n / 5));
      const page = await db.$queryRawUnsafe<{ id: bigint }[]>(
        `SELECT t.id ${LIVE_TASKS} AND ${scope} AND ${filter} ORDER BY t.created_at DESC, t.id DESC LIMIT 5`,
      );
      assert.deepEqual(
        res.body.data.map((t: { id: string }) => String(t.id)),
        page.map((r) => String(r.id)),
        `${step}: ${who.email} state=${state ?? "any"} page`,
      );
    }
  }
  // The counter table itself: per key, the recount.
  const { kept, recount } = await taskCountsAndRecount();
  assert.deepEqual(kept, recount, `${step}: task_counts`);
  // The list's own copy of each job's liveness (migration 20261130140000_task_job_live).
  const [{ stale }] = await db.$queryRawUnsafe<{ stale: number }[]>(
    `SELECT count(*)::int AS stale FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE t.job_live <> (j.deleted_at IS NULL)`,
  );
  assert.equal(stale, 0, `${step}: tasks.job_live`);
}

/**
 * GET /server's node-seconds for every role equal the definition it had before the counters:
 * ended nodes' run time plus the running nodes' time to now, over the caller's live jobs.
 */
async function assertUsageMatches(step: string) {
  const db = await getDb();
  const now = clock.now();
  for (const [who, scope] of await scopes()) {
    const [row] = await db.$queryRawUnsafe<{ ended: number | null; running: number | null }[]>(
      `SELECT (SELECT SUM(EXTRACT(EPOCH FROM (t.ended_at - t.started_at)))::float8 ${LIVE_TASKS} AND ${scope}
                 AND t.ended_at IS NOT NULL AND t.started_at IS NOT NULL) AS ended,
              (SELECT SUM(EXTRACT(EPOCH FROM ($1::timestamptz - t.started_at)))::float8 ${LIVE_TASKS} AND ${scope}
                 AND t.ended_at IS NULL AND t.started_at IS NOT NULL) AS running`,
      now,
    );
    const res = await api.get(`${V1}/server`, { token: who.token });
    assert.equal(res.status, 200, res.text);
    const expected = Math.max(0, Math.round((row.ended ?? 0) + (row.running ?? 0)));
    assert.equal(res.body.user_info.node_seconds, expected, `${step}: ${who.email} node_seconds`);
  }
}

async function assertAll(step: string) {
  await assertTasksMatch(step);
  await assertUsageMatches(step);
}

test("task totals and running nodes from the counters equal counting the tasks", async () => {
  const db = await getDb();
  clock.now = at(0);
  const a1 = await createJob(ada, "a1", 3);
  const a2 = await createJob(ada, "a2", 2);
  const b1 = await createJob(bob, "b1", 2);
  const g1 = await createJob(gus, "g1", 2);
  await assertAll("no nodes");

  // Nodes join (running, started now) at different times.
  const tasks: Record<string, string> = {};
  for (const [i, [job, uuid]] of (
    [
      [a1, "a1-n1"],
      [a1, "a1-n2"],
      [a1, "a1-n3"],
      [a2, "a2-n1"],
      [b1, "b1-n1"],
      [b1, "b1-n2"],
      [g1, "g1-n1"],
    ] as const
  ).entries()) {
    clock.now = at(10 * i + 0.25);
    tasks[uuid] = (await agentPost(job.token, "/tasks", node(uuid))).id;
  }
  clock.now = at(100);
  await assertAll("nodes joined");

  // Nodes end in different states; a node that never started (no started_at) counts, but not as running.
  clock.now = at(130.5);
  await agentPost(a1.token, `/tasks/${tasks["a1-n1"]}/finish`, { state: "completed" });
  await agentPost(a1.token, `/tasks/${tasks["a1-n2"]}/finish`, { state: "failed", failed_message: "boom" });
  await agentPost(b1.token, `/tasks/${tasks["b1-n1"]}/finish`, { state: "completed" });
  await db.task.update({ where: { id: BigInt(tasks["g1-n1"]) }, data: { state: "aborted", endedAt: clock.now() } });
  await db.task.create({ data: { jobId: BigInt(a2.id), machineUuid: "a2-rejected", state: "rejected" } });
  clock.now = at(200);
  await assertAll("states changed");

  // A task moved to another job (and owner), a job handed to another user.
  await db.task.update({ where: { id: BigInt(tasks["a1-n3"]) }, data: { jobId: BigInt(b1.id) } });
  await assertAll("task moved");
  await db.job.update({ where: { id: BigInt(a2.id) }, data: { userId: bob.id } });
  await assertAll("owner changed");

  // Soft delete and restore, also together with an owner change.
  await db.job.update({ where: { id: BigInt(b1.id) }, data: { deletedAt: new Date() } });
  await assertAll("soft deleted");
  await db.job.update({ where: { id: BigInt(b1.id) }, data: { deletedAt: null } });
  await assertAll("restored");
  await db.job.update({ where: { id: BigInt(a2.id) }, data: { deletedAt: new Date(), userId: ada.id } });
  await assertAll("soft deleted with a new owner");
  await db.job.update({ where: { id: BigInt(a2.id) }, data: { deletedAt: null, userId: bob.id } });
  await assertAll("restored with a new owner");
  // A node of a deleted job changing state moves nothing.
  await db.job.update({ where: { id: BigInt(b1.id) }, data: { deletedAt: new Date() } });
  await db.task.update({ where: { id: BigInt(tasks["b1-n2"]) }, data: { state: "completed", endedAt: clock.now() } });
  await db.job.update({ where: { id: BigInt(b1.id) }, data: { deletedAt: null } });
  await assertAll("changed while deleted");

  // Hard delete (results, then nodes, then the job), of a live job and of a deleted one.
  for (const [job, soft] of [
    [a1, false],
    [g1, true],
  ] as const) {
    const jobId = BigInt(job.id);
    if (soft) await db.job.update({ where: { id: jobId }, data: { deletedAt: new Date() } });
    await db.benchmarkResult.deleteMany({ where: { jobId } });
    await db.task.deleteMany({ where: { jobId } });
    await db.jobLog.deleteMany({ where: { jobId } });
    await db.job.delete({ where: { id: jobId } });
    await assertAll(`hard deleted ${job.id}`);
  }
  // Time passes: the running nodes' share grows with it.
  clock.now = at(5000.75);
  await assertAll("later");
  // Spot check of what a person sees: Bob's a2 (2 nodes: a running one and the rejected
  // one), b1 (3: two ended, the moved one still running).
  const bobs = await api.get(`${V1}/tasks`, { token: bob.token });
  assert.equal(bobs.body.pagination.total, 5);
  assert.equal((await api.get(`${V1}/tasks?state=running`, { token: bob.token })).body.pagination.total, 2);
});

test("narrow filters (job, machine) count the matching tasks directly", async () => {
  const db = await getDb();
  clock.now = realNow;
  const job = await createJob(ada, "narrow", 2);
  const t1 = await agentPost(job.token, "/tasks", node("narrow-1"));
  await agentPost(job.token, "/tasks", node("narrow-2"));
  await db.task.update({ where: { id: BigInt(t1.id) }, data: { machineIp: "10.9.9.9" } });
  for (const [qs, n] of [
    [`job_id=${job.id}`, 2],
    [`job_id=${job.id}&state=running`, 2],
    ["machine_uuid=narrow-2", 1],
    ["machine_ip=10.9.9.9", 1],
    ["machine_ip=10.9.9.9&state=completed", 0],
  ] as const) {
    for (const who of [ada, acmeAdmin, root]) {
      const res = await api.get(`${V1}/tasks?${qs}`, { token: who.token });
      assert.equal(res.body.pagination.total, n, `${who.email} ${qs}`);
    }
    assert.equal((await api.get(`${V1}/tasks?${qs}`, { token: gus.token })).body.pagination.total, 0);
  }
});

test("deep pages (offset 1000 on) are found ids first: the same tasks, with their results", async () => {
  const db = await getDb();
  clock.now = realNow;
  const job = await createJob(bob, "deep", 1);
  // 1,100 nodes in one statement, created a millisecond apart, some sharing a millisecond.
  await db.$executeRawUnsafe(
    `INSERT INTO tasks (job_id, machine_uuid, state, created_at)
     SELECT ${job.id}, 'deep-' || i, CASE WHEN i % 20 = 0 THEN 'completed' ELSE 'running' END,
            TIMESTAMPTZ '2026-11-01T00:00:00Z' + (i / 2) * INTERVAL '1 millisecond'
     FROM generate_series(1, 1100) i`,
  );
  // A deleted job's nodes, interleaved with those: no page may hold or count them.
  const gone = await createJob(bob, "deep-deleted", 1);
  await db.$executeRawUnsafe(
    `INSERT INTO tasks (job_id, machine_uuid, state, created_at)
     SELECT ${gone.id}, 'gone-' || i, 'running', TIMESTAMPTZ '2026-11-01T00:00:00Z' + i * INTERVAL '1 millisecond'
     FROM generate_series(1, 300) i`,
  );
  await db.job.update({ where: { id: BigInt(gone.id) }, data: { deletedAt: new Date() } });
  const [first] = await db.$queryRawUnsafe<{ id: bigint }[]>(
    `SELECT id FROM tasks WHERE job_id = ${job.id} ORDER BY created_at DESC, id DESC OFFSET 1000 LIMIT 1`,
  );
  await db.benchmarkResult.create({
    data: {
      jobId: BigInt(job.id),
      taskId: first.id,
      benchmarkId: "quick_mark",
      benchmarkName: "QuickMark",
      state: "completed",
      results: {},
    },
  });
  for (const [who, scope] of (await scopes()).filter(([w]) => w === bob || w === acmeAdmin || w === root)) {
    for (const [qs, filter] of [
      ["page=11&per_page=100", "TRUE"],
      ["page=6&per_page=200&sort_order=asc", "TRUE"],
      ["page=21&per_page=50&state=running", "t.state = 'running'"],
      [`job_id=${job.id}&page=11&per_page=100&include_results=true`, `t.job_id = ${job.id}`],
    ] as const) {
      const res = await api.get(`${V1}/tasks?${qs}`, { token: who.token });
      assert.equal(res.status, 200, res.text);
      const p = new URLSearchParams(qs);
      const per = Number(p.get("per_page"));
      const dir = p.get("sort_order") === "asc" ? "ASC" : "DESC";
      const rows = await db.$queryRawUnsafe<{ id: bigint }[]>(
        `SELECT t.id ${LIVE_TASKS} AND ${scope} AND ${filter} ORDER BY t.created_at ${dir}, t.id ${dir}
          OFFSET ${(Number(p.get("page")) - 1) * per} LIMIT ${per}`,
      );
      assert.ok(rows.length > 0);
      assert.deepEqual(
        res.body.data.map((t: { id: string }) => String(t.id)),
        rows.map((r) => String(r.id)),
        `${who.email} ?${qs}`,
      );
      if (p.get("include_results")) {
        // The job's 1,001st node, first on this page, carries the one result.
        assert.equal(String(res.body.data[0].id), String(first.id));
        assert.deepEqual(Object.keys(res.body.data[0].benchmark_results), ["quick_mark"]);
        assert.ok(
          res.body.data.slice(1).every((t: { benchmark_results: object }) => !Object.keys(t.benchmark_results).length),
        );
      }
    }
  }
});
