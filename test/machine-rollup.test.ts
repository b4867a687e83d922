// The fleet roll-ups (migration 20261130080000_machine_rollups) against the definition they
// replace: after every kind of change — nodes joining, heartbeats, a node ending, a verdict, a
// rejected node, a job soft-deleted, restored, handed to another owner, hard-deleted, a machine
// renamed — GET /machines and the heatmap answer, for every role, exactly what the per-request
// query they replaced answers (kept here as the reference), and the roll-up tables equal a
// recomputation from the tasks.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { runSimulatedJob } from "./helpers/simulated-job";
import { signInRoleMatrix, type RoleMatrix, type SignedInUser } from "./helpers/users";
import { simulatedNodes } from "../agent/simulate";
import { getDb, type Db } from "../lib/db/client";
import { Prisma } from "../lib/generated/prisma/client";
import { toCaller } from "../lib/auth/users";
import type { Caller } from "../lib/auth/caller";
import { jobVisibilitySql } from "../lib/auth/visibility";
import { scopeOf } from "../lib/auth/permissions";

let teardown: () => Promise<void>;
let db: Db;
let who: RoleMatrix;
const H100 = "NVIDIA H100 80GB HBM3";
const L40S = "NVIDIA L40S";
const fleet = simulatedNodes({ gpuModel: H100, nodes: 3, seed: 21, degraded: 0 });
const other = simulatedNodes({ gpuModel: L40S, nodes: 1, seed: 22, degraded: 0 });

/** Runs a job of `user` on these machines; its id and its node on each machine, in their order. */
async function runJob(user: SignedInUser, machines: typeof fleet, gpuModel = H100, silentNodes = 0) {
  const job = await runSimulatedJob(
    user.token,
    { name: `rollup ${gpuModel} x${machines.length}`, node_count: machines.length },
    { gpuModel, machines, seed: 21, silentNodes },
  );
  const tasks = await db.task.findMany({ where: { jobId: BigInt(job.id) } });
  const taskIds = machines.map((m) => tasks.find((t) => t.machineUuid === m.machine_uuid)!.id);
  return { id: BigInt(job.id), taskIds };
}

/** The per-request query GET /machines ran before the roll-ups: each machine's latest visible node, probed. */
function referenceLatest(caller: Caller): Prisma.Sql {
  return Prisma.sql`
    SELECT m.id, m.gpu_model, l.job_id,
      -- The database's collation orders names and uuids, as the endpoints do.
      dense_rank() OVER (ORDER BY COALESCE(m.hostname, m.uuid))::int AS name_rank, dense_rank() OVER (ORDER BY m.uuid)::int AS uuid_rank, l.node_state, l.status, l.last_seen_at,
      (SELECT count(*)::int FROM tasks t JOIN jobs j ON j.id = t.job_id AND j.customer_id = m.customer_id
        WHERE t.machine_uuid = m.uuid AND t.state <> 'rejected' AND ${jobVisibilitySql(caller)}) AS job_count
    FROM machines m
    CROSS JOIN LATERAL (
      SELECT t.job_id, t.state AS node_state, COALESCE(t.performance->>'status', 'unknown') AS status,
        GREATEST(t.created_at, t.last_heartbeat_at, t.ended_at) AS last_seen_at
      FROM tasks t JOIN jobs j ON j.id = t.job_id AND j.customer_id = m.customer_id
      WHERE t.machine_uuid = m.uuid AND t.state <> 'rejected' AND ${jobVisibilitySql(caller)}
      ORDER BY t.created_at DESC, t.id DESC LIMIT 1
    ) l
    WHERE ${scopeOf(caller.role, "read") === "all" ? Prisma.sql`TRUE` : Prisma.sql`m.customer_id = ${caller.customerId}`}`;
}

interface RefRow {
  id: number;
  gpu_model: string | null;
  name_rank: number;
  uuid_rank: number;
  job_id: bigint;
  node_state: string;
  status: string;
  last_seen_at: Date;
  job_count: number;
}

const RANK: Record<string, number> = { underperforming: 0, regressed: 1, unknown: 2 };
const rank = (s: string) => RANK[s] ?? 3;
const bySeen = (a: RefRow, b: RefRow) => b.last_seen_at.getTime() - a.last_seen_at.getTime() || b.id - a.id;
const ORDERS: Record<string, (a: RefRow, b: RefRow) => number> = {
  "": bySeen,
  "sort_order=asc": (a, b) => -bySeen(a, b),
  "sort_by=status": (a, b) => rank(a.status) - rank(b.status) || bySeen(a, b),
  "sort_by=status&sort_order=desc": (a, b) => rank(b.status) - rank(a.status) || bySeen(a, b),
  "sort_by=hostname": (a, b) => a.name_rank - b.name_rank || bySeen(a, b),
  "sort_by=hostname&sort_order=desc": (a, b) => b.name_rank - a.name_rank || bySeen(a, b),
};

const view = (r: RefRow) => ({
  id: r.id,
  last_job_id: String(r.job_id),
  node_state: r.node_state,
  status: r.status,
  last_seen_at: r.last_seen_at.toISOString(),
  job_count: r.job_count,
});

async function callerOf(u: SignedInUser): Promise<Caller> {
  return toCaller(await db.user.findUniqueOrThrow({ where: { id: u.id } }));
}

/** Every role's list (every order, both filters, a second page) and heatmap equal the reference. */
async function assertMatchesReference(step: string) {
  for (const [name, user] of Object.entries(who)) {
    const ref = await db.$queryRaw<RefRow[]>(referenceLatest(await callerOf(user)));
    const at = `${step}, ${name}`;
    for (const [qs, order] of Object.entries(ORDERS)) {
      const res = await api.get(`${V1}/machines?per_page=300&${qs}`, { token: user.token });
      assert.equal(res.status, 200, res.text);
      const got = res.body.results.map((m: any) => ({
        id: m.id,
        last_job_id: m.last_job.id,
        node_state: m.last_job.node_state,
        status: m.last_performance_status,
        last_seen_at: m.last_seen_at,
        job_count: m.job_count,
      }));
      assert.deepEqual(got, [...ref].sort(order).map(view), `${at}: ${qs || "default"}`);
      assert.equal(res.body.pagination.total, ref.length, `${at}: total`);
      const models = [...new Set(ref.map((r) => r.gpu_model).filter((g) => g !== null))].sort();
      assert.deepEqual(res.body.gpu_models, models, `${at}: gpu_models`);
    }
    // Health lives on machines (the list joins them, or counts "healthy" as total minus the rest).
    const health = new Map(
      (await db.machine.findMany({ select: { id: true, healthState: true } })).map((m) => [m.id, m.healthState]),
    );
    for (const [qs, keep] of [
      ["health_state=healthy", (r: RefRow) => health.get(r.id) === "healthy"],
      ["health_state=suspect", (r: RefRow) => health.get(r.id) === "suspect"],
      [`gpu_model=${encodeURIComponent(H100)}`, (r: RefRow) => r.gpu_model === H100],
      ["status=unknown", (r: RefRow) => r.status === "unknown"],
      ["status=ok", (r: RefRow) => r.status === "ok"],
    ] as const) {
      const res = await api.get(`${V1}/machines?per_page=300&${qs}`, { token: user.token });
      assert.deepEqual(
        res.body.results.map((m: any) => m.id),
        ref
          .filter(keep)
          .sort(bySeen)
          .map((r) => r.id),
        `${at}: ${qs}`,
      );
      assert.equal(res.body.pagination.total, ref.filter(keep).length, `${at}: ${qs} total`);
    }
    const second = await api.get(`${V1}/machines?per_page=1&page=2&sort_by=status`, { token: user.token });
    assert.deepEqual(
      second.body.results.map((m: any) => m.id),
      [...ref]
        .sort(ORDERS["sort_by=status"])
        .slice(1, 2)
        .map((r) => r.id),
      `${at}: status page 2`,
    );
    const heat = await api.get(`${V1}/machines/heatmap?per_model=2`, { token: user.token });
    assert.equal(heat.status, 200, heat.text);
    const heatIds = heat.body.gpu_models.flatMap((g: any) =>
      g.machines.map((m: any) => [m.id, m.status, m.last_job_id]),
    );
    const expected = [...new Set(ref.map((r) => r.gpu_model!))].sort().flatMap((model) =>
      ref
        .filter((r) => r.gpu_model === model)
        .sort(bySeen)
        .slice(0, 2)
        .sort((a, b) => a.uuid_rank - b.uuid_rank)
        .map((r) => [r.id, r.status, String(r.job_id)]),
    );
    assert.deepEqual(heatIds, expected, `${at}: heatmap`);
    // Each model says how many machines it has in all, beyond the per_model shown.
    assert.deepEqual(
      heat.body.gpu_models.map((g: any) => [g.gpu_model, g.machine_count]),
      [...new Set(ref.map((r) => r.gpu_model!))]
        .sort()
        .map((model) => [model, ref.filter((r) => r.gpu_model === model).length]),
      `${at}: heatmap machine counts`,
    );
  }
  await assertTablesMatchTasks(step);
}

/** Every row of both roll-up tables, for every owner (not only the signed-in ones), recomputed from the tasks. */
async function assertTablesMatchTasks(step: string) {
  const rows = await db.$queryRaw<unknown[]>`
    SELECT customer_id, machine_uuid, user_id, latest_task_id::text, last_seen_at, status, status_rank, node_count, machine_id, gpu_model, sort_name
    FROM machine_rollups ORDER BY 1, 2, 3`;
  const expected = await db.$queryRaw<unknown[]>`
    WITH keys AS (
      SELECT DISTINCT j.customer_id, t.machine_uuid, u.id AS user_id
      FROM tasks t JOIN jobs j ON j.id = t.job_id CROSS JOIN LATERAL (VALUES (0), (j.user_id)) u(id)
      WHERE t.state <> 'rejected' AND j.deleted_at IS NULL)
    SELECT k.customer_id, k.machine_uuid, k.user_id, l.id::text AS latest_task_id, l.seen AS last_seen_at, l.status,
           CASE l.status WHEN 'underperforming' THEN 0 WHEN 'regressed' THEN 1 WHEN 'unknown' THEN 2 ELSE 3 END AS status_rank,
           l.n AS node_count, m.id AS machine_id, m.gpu_model, COALESCE(m.hostname, m.uuid) AS sort_name
    FROM keys k
    CROSS JOIN LATERAL (
      SELECT t.id, GREATEST(t.created_at, t.last_heartbeat_at, t.ended_at) AS seen, COALESCE(t.performance->>'status', 'unknown') AS status,
             count(*) OVER ()::int AS n
      FROM tasks t JOIN jobs j ON j.id = t.job_id AND j.customer_id = k.customer_id
      WHERE t.machine_uuid = k.machine_uuid AND t.state <> 'rejected' AND j.deleted_at IS NULL AND (k.user_id = 0 OR j.user_id = k.user_id)
      ORDER BY t.created_at DESC, t.id DESC LIMIT 1) l
    LEFT JOIN machines m ON m.customer_id = k.customer_id AND m.uuid = k.machine_uuid
    ORDER BY 1, 2, 3`;
  assert.deepEqual(rows, expected, `${step}: machine_rollups`);
  const counts = await db.$queryRaw<unknown[]>`
    SELECT customer_id, user_id, gpu_model, status, shard, machines FROM machine_rollup_counts WHERE machines <> 0 ORDER BY 1, 2, 3, 4, 5`;
  const recount = await db.$queryRaw<unknown[]>`
    SELECT customer_id, user_id, COALESCE(gpu_model, '') AS gpu_model, status, machine_id % 8 AS shard, count(*)::int AS machines
    FROM machine_rollups WHERE machine_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`;
  assert.deepEqual(counts, recount, `${step}: machine_rollup_counts`);
}

let first: { id: bigint; taskIds: bigint[] };
let colleagues: { id: bigint; taskIds: bigint[] };

before(async () => {
  ({ teardown } = await useFreshDatabase());
  db = await getDb();
  who = await signInRoleMatrix({ a: "Rollup A", b: "Rollup B" });
  // Three H100 machines run A's user's job, then two of them a colleague's; customer B runs
  // the very same machine uuids (its own inventory rows) and an L40S.
  first = await runJob(who.a, fleet);
  colleagues = await runJob(who.aColleague, fleet.slice(0, 2));
  await runJob(who.bAdmin, fleet.slice(1));
  await runJob(who.b, other, L40S);
});
after(() => teardown());

test("after nodes join, run and are scored, every role's list and heatmap equal the reference", async () => {
  await assertMatchesReference("registered and completed");
  // One machine (in both customers) under suspicion, one cleared: the health filter's two paths.
  await db.$executeRaw`UPDATE machines SET health_state = 'suspect' WHERE uuid = ${fleet[0].machine_uuid}`;
  await db.$executeRaw`UPDATE machines SET health_state = 'cleared' WHERE uuid = ${fleet[1].machine_uuid}`;
  await assertMatchesReference("a machine suspect, another cleared");
});

test("heartbeats, a node ending and a verdict change move only the latest node's rows", async () => {
  const [latest] = colleagues.taskIds;
  await db.$executeRaw`UPDATE tasks SET last_heartbeat_at = now() + interval '1 hour' WHERE id = ${latest}`;
  await assertMatchesReference("heartbeat of the latest node");
  // An older node's heartbeat changes nothing listed (its machine's latest is the colleague's).
  await db.$executeRaw`UPDATE tasks SET last_heartbeat_at = now() + interval '2 hours' WHERE id = ${first.taskIds[0]}`;
  await assertMatchesReference("heartbeat of an older node");
  await db.$executeRaw`UPDATE tasks SET ended_at = now() + interval '3 hours', state = 'failed' WHERE id = ${latest}`;
  await assertMatchesReference("node ended");
  await db.$executeRaw`UPDATE tasks SET performance = jsonb_build_object('status', 'regressed') WHERE id = ${latest}`;
  await assertMatchesReference("verdict changed");
  await db.$executeRaw`UPDATE tasks SET performance = jsonb_build_object('status', 'underperforming') WHERE id = ${first.taskIds[1]}`;
  await db.$executeRaw`UPDATE tasks SET performance = NULL WHERE id = ${first.taskIds[2]}`;
  await assertMatchesReference("verdicts underperforming and cleared");
});

test("rejected nodes never count: inserted rejected, or a node turned rejected and back", async () => {
  await db.$executeRaw`
    INSERT INTO tasks (job_id, machine_uuid, state, created_at, ended_at, failed_message)
    SELECT ${first.id}, 'rejected-only-machine', 'rejected', now() + interval '1 day', now() + interval '1 day', 'too few GPUs'`;
  await db.$executeRaw`
    INSERT INTO machines (customer_id, uuid, hostname) SELECT customer_id, 'rejected-only-machine', 'zz-rejected' FROM jobs WHERE id = ${first.id}`;
  await assertMatchesReference("rejected node on a new machine");
  await db.$executeRaw`UPDATE tasks SET state = 'rejected' WHERE id = ${colleagues.taskIds[1]}`;
  await assertMatchesReference("latest node turned rejected");
  await db.$executeRaw`UPDATE tasks SET state = 'completed' WHERE id = ${colleagues.taskIds[1]}`;
  await assertMatchesReference("node back from rejected");
});

test("a soft-deleted job's machines fall back to their previous visible node, or disappear for its owner", async () => {
  const res = await api.delete(`${V1}/jobs/delete`, {
    token: who.aColleague.token,
    body: { id: String(colleagues.id) },
  });
  assert.equal(res.status, 200, res.text);
  const list = await api.get(`${V1}/machines`, { token: who.aColleague.token });
  assert.equal(list.body.pagination.total, 0);
  await assertMatchesReference("job soft-deleted");
  await db.$executeRaw`UPDATE jobs SET deleted_at = NULL WHERE id = ${colleagues.id}`;
  await assertMatchesReference("job restored");
});

test("a job handed to another owner moves its machines between the owners' lists", async () => {
  await db.$executeRaw`UPDATE jobs SET user_id = ${who.a.id} WHERE id = ${colleagues.id}`;
  await assertMatchesReference("owner changed");
  await db.$executeRaw`UPDATE jobs SET user_id = ${who.aColleague.id} WHERE id = ${colleagues.id}`;
  await assertMatchesReference("owner changed back");
});

test("a hard-deleted job's nodes leave the counts and the latest node", async () => {
  await db.$transaction([
    db.$executeRaw`DELETE FROM benchmark_results WHERE job_id = ${colleagues.id}`,
    db.$executeRaw`DELETE FROM job_logs WHERE job_id = ${colleagues.id}`,
    db.$executeRaw`DELETE FROM tasks WHERE job_id = ${colleagues.id}`,
    db.$executeRaw`DELETE FROM jobs WHERE id = ${colleagues.id}`,
  ]);
  await assertMatchesReference("job hard-deleted");
});

test("a renamed machine and a new GPU model re-sort and re-filter; a running job's nodes list as running", async () => {
  await db.$executeRaw`UPDATE machines SET hostname = 'aaa-first' WHERE uuid = ${fleet[2].machine_uuid}`;
  await db.$executeRaw`UPDATE machines SET gpu_model = ${L40S} WHERE uuid = ${fleet[1].machine_uuid}`;
  await assertMatchesReference("machine renamed, GPU model changed");
  await runJob(who.aColleague, fleet.slice(1, 2), H100, 1);
  await assertMatchesReference("a node still running");
});
