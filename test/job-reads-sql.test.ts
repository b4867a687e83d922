// GET /jobs reads its pages, counts and exports, and GET /jobs/{id} its job, nodes and results,
// with hand-written SQL (lib/jobs/filter-sql.ts, lib/jobs/list-rows.ts, lib/jobs/queries.ts).
// Here every filter, sort, expansion, role and page shape, and a detail, are checked item for
// item against the same reads through Prisma's query builder, which states the
// filters' meaning independently: ILIKE for name, every tag, the benchmark among the job's,
// nulls last for the nullable sorts, the id as tie-breaker.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { getDb } from "../lib/db/client";
import { fieldOf } from "../lib/db/columns";
import { createUser } from "../lib/auth/users";
import type { Caller } from "../lib/auth/caller";
import type { Role } from "../lib/auth/roles";
import type { Prisma } from "../lib/generated/prisma/client";
import { jobVisibilityWhere } from "../lib/auth/visibility";
import { getJobDetail, getJobResults, listJobs } from "../lib/jobs/queries";
import { compactSerialized } from "../lib/results/compact";
import { listTasks } from "../lib/tasks/queries";
import { listTasksQuerySchema } from "../lib/tasks/schemas";
import { allJobPages, listExpansions, readJobPage } from "../lib/jobs/list-rows";
import { JOB_SORT_FIELDS } from "../lib/jobs/limits";
import { listJobsQuerySchema, type ListJobsQuery } from "../lib/jobs/schemas";
import {
  resultsMap,
  serializeJob,
  serializeJobDetail,
  JOB_DETAIL_SELECT,
  JOB_LIST_COLUMNS,
  RESULT_SELECT,
  SCORED_NODE_SELECT,
  TASK_SELECT,
} from "../lib/jobs/serialize";
import { jobCommandsFor } from "../lib/auth/permissions";
import { JobNotFoundError } from "../lib/api/errors";
import { toJsonBytes } from "../lib/api/json-bytes";
import { JsonText } from "../lib/util/json-text";

let teardown: () => Promise<void>;
let ada: Caller, acmeAdmin: Caller, root: Caller;

async function caller(role: Role, customer: string): Promise<Caller> {
  const db = await getDb();
  const u = await createUser(db, {
    email: `${role}-${Math.random()}@x.test`,
    password: "correct horse battery",
    role,
    customer,
  });
  const row = await db.user.findUniqueOrThrow({ where: { id: u.id } });
  return { userId: row.id, customerId: row.customerId, role, email: row.email };
}

before(async () => {
  ({ teardown } = await useFreshDatabase());
  ada = await caller("user", "Acme");
  const bob = await caller("user", "Acme");
  acmeAdmin = await caller("customer_admin", "Acme");
  const gus = await caller("user", "Globex");
  root = await caller("root_admin", "Ops");
  const db = await getDb();
  // 1,200 jobs spread over three owners, every state, names with `_` and `%`, shared created_at
  // instants (ties broken by id), null and set start/end times, some deleted; nodes on some.
  // Descriptions with characters JSON escapes, steps without a config, roll-ups with a status
  // of their own (the roll-up's wins in the answer).
  const owners = [ada, bob, gus];
  for (const [i, o] of owners.entries()) {
    await db.$executeRawUnsafe(
      `INSERT INTO jobs (customer_id, user_id, name, description, node_count, current_nodes, tags, benchmark_sequence,
         benchmark_ids, token, state, failed_message, created_at, started_at, ended_at, expires_at, deleted_at,
         performance_status, performance, gpu_models, quickmark_aggregate)
       SELECT $1, $2,
         (ARRAY['H100 soak', 'h100_nightly', 'A100 burn', 'Ünïcode SOAK', '50% load'])[1 + g % 5] || ' ' || $2::int || '.' || g,
         CASE WHEN g % 3 = 0 THEN 'about ' || g || ' "quoted" \\ ' || chr(9) || chr(10) || chr(1) || ' é ☃ ' || chr(8232) END,
         1 + g % 7, g % 4,
         CASE g % 5 WHEN 0 THEN ARRAY['prod','gpu'] WHEN 1 THEN ARRAY['prod'] WHEN 2 THEN ARRAY[]::text[]
           WHEN 3 THEN ARRAY['gpu','nightly'] ELSE ARRAY['staging','gpu','prod'] END,
         CASE WHEN g % 2 = 0 THEN '[{"benchmark_id":"quick_mark","config":null},{"benchmark_id":"cluster_network","config":{"size":8}}]'::json
              ELSE '[{"benchmark_id":"quick_mark"}]'::json END,
         CASE WHEN g % 2 = 0 THEN ARRAY['quick_mark','cluster_network'] ELSE ARRAY['quick_mark'] END,
         'tok' || g,
         (ARRAY['created','started','running','completed','failed','cancelled','expired'])[1 + g % 7],
         CASE WHEN g % 7 = 4 THEN 'node lost' END,
         timestamptz '2026-11-01 00:00:00+00' + (g / 3) * interval '1 minute',
         CASE WHEN g % 7 >= 1 THEN timestamptz '2026-11-01 00:00:00+00' + (g / 2) * interval '1 minute' END,
         CASE WHEN g % 7 >= 3 THEN timestamptz '2026-11-02 00:00:00+00' + (g % 11) * interval '1 second' END,
         timestamptz '2026-12-01 00:00:00+00' + (g % 13) * interval '1 hour',
         CASE WHEN g % 17 = 0 THEN now() END,
         (ARRAY['ok','underperforming','regressed','unknown'])[1 + g % 4],
         CASE WHEN g % 4 = 1 THEN json_build_object('status', 'regressed', 'score', g * 0.1)
              WHEN g % 4 <> 3 THEN json_build_object('score', g, 'scoreboard_summary', 'x' || g) END,
         CASE WHEN g % 2 = 0 THEN ARRAY['NVIDIA H200'] ELSE ARRAY[]::text[] END,
         CASE WHEN g % 5 = 0 THEN json_build_object('tflops', g * 1.5) END
       FROM generate_series(1, $3) g`,
      o.customerId,
      o.userId,
      i === 0 ? 1100 : 50,
    );
  }
  await db.$executeRawUnsafe(
    `INSERT INTO tasks (job_id, machine_uuid, state, gpu_model, gpu_count, performance)
     SELECT j.id, 'm-' || j.id || '-' || k, CASE WHEN k = 3 THEN 'rejected' ELSE 'completed' END, 'NVIDIA H200', 8,
            CASE WHEN k = 1 THEN json_build_object('status', 'ok', 'score', k) END
     FROM jobs j, generate_series(1, 3) k WHERE j.id % 9 = 0`,
  );
  // Results of the nodes and of the job itself, with JSON documents and null times.
  await db.$executeRawUnsafe(
    `INSERT INTO benchmark_results (job_id, task_id, benchmark_id, benchmark_name, config, results, state, error_message, started_at, ended_at)
     SELECT t.job_id, CASE WHEN k = 1 THEN NULL ELSE t.id END, 'quick_mark', 'QuickMark', json_build_object('size', k),
            json_build_object('tflops', t.id % 97 + 0.5, 'nested', json_build_array(1, 'two', null)),
            CASE WHEN k = 3 THEN 'failed' ELSE 'completed' END, CASE WHEN k = 3 THEN 'oom' END,
            CASE WHEN k <> 2 THEN now() END, CASE WHEN k = 1 THEN now() END
     FROM tasks t, generate_series(1, 3) k`,
  );
});
after(() => teardown());

/** The filters as Prisma states them: what the hand-written SQL must agree with. */
function prismaWhere(c: Caller, q: ListJobsQuery): Prisma.JobWhereInput {
  const and: Prisma.JobWhereInput[] = [jobVisibilityWhere(c)];
  if (q.state) and.push({ state: q.state });
  if (q.name) and.push({ name: { contains: q.name, mode: "insensitive" } });
  if (q.benchmark_id) and.push({ benchmarkIds: { has: q.benchmark_id } });
  if (q.tags?.length) and.push({ tags: { hasEvery: q.tags } });
  if (q.created_after) and.push({ createdAt: { gt: q.created_after } });
  if (q.created_before) and.push({ createdAt: { lt: q.created_before } });
  if (q.node_count_min !== undefined) and.push({ nodeCount: { gte: q.node_count_min } });
  if (q.node_count_max !== undefined) and.push({ nodeCount: { lte: q.node_count_max } });
  if (q.has_performance_data !== undefined)
    and.push(q.has_performance_data ? { performanceStatus: { not: "unknown" } } : { performanceStatus: "unknown" });
  if (q.performance_status) and.push({ performanceStatus: q.performance_status });
  return { AND: and };
}

async function viaPrisma(c: Caller, q: ListJobsQuery, skip: number, take: number) {
  const db = await getDb();
  const x = listExpansions(q);
  const column = fieldOf(q.sort_by);
  const nullable = q.sort_by === "started_at" || q.sort_by === "ended_at";
  const rows = await db.job.findMany({
    where: prismaWhere(c, q),
    orderBy: [
      nullable ? { [column]: { sort: q.sort_order, nulls: "last" } } : { [column]: q.sort_order },
      { id: q.sort_order },
    ],
    skip,
    take,
    select: {
      ...JOB_LIST_COLUMNS,
      quickmarkAggregate: x.includeResults,
      performance: x.performance,
      ...(x.performanceNodes
        ? { tasks: { where: { state: { not: "rejected" } }, select: SCORED_NODE_SELECT, orderBy: { id: "asc" } } }
        : {}),
    },
  });
  return rows.map((r) => serializeJob(r, x));
}

/** A value as the API writes it and a client reads it back. */
const wire = (value: unknown) => JSON.parse(toJsonBytes(value).toString());

const query = (params: Record<string, string | string[]>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) u.append(k, one);
  const raw: Record<string, unknown> = Object.fromEntries(u);
  for (const k of ["tags", "include"]) if (u.has(k)) raw[k] = u.getAll(k);
  return listJobsQuerySchema.parse(raw);
};

const FILTERS: Record<string, string | string[]>[] = [
  {},
  { state: "running" },
  { name: "soak" },
  { name: "H100_" },
  { name: "50%" },
  { name: "ünïcode" },
  { benchmark_id: "cluster_network" },
  { tags: "gpu" },
  { tags: ["prod", "gpu"] },
  { tags: ["prod", "gpu"], name: "h100" },
  { created_after: "2026-11-01T01:00:00Z", created_before: "2026-11-01T03:00:00Z" },
  { node_count_min: "3", node_count_max: "5" },
  { has_performance_data: "false" },
  { has_performance_data: "true", state: "completed" },
  { performance_status: "regressed" },
];

test("every filter, for every role, gives the page and total Prisma's reading gives", async () => {
  const db = await getDb();
  for (const who of [ada, acmeAdmin, root]) {
    for (const f of FILTERS) {
      for (const page of ["1", "3"]) {
        const q = query({ ...f, page, per_page: "7", include_results: "true", include: "performance" });
        const got = await listJobs(db, who, q);
        const label = `${who.role} ${JSON.stringify(f)} page ${page}`;
        assert.deepEqual(got.results, await viaPrisma(who, q, (q.page - 1) * 7, 7), label);
        assert.equal(got.pagination.total, await db.job.count({ where: prismaWhere(who, q) }), label);
      }
    }
  }
});

test("a multi-tag page is the same whether its matches are read whole (few) or found by walking the sort index", async () => {
  const db = await getDb();
  for (const who of [ada, acmeAdmin, root]) {
    for (const tags of [
      ["prod", "gpu"],
      ["gpu", "nightly"],
      ["staging", "prod", "gpu"],
    ]) {
      for (const page of ["1", "3", "40"]) {
        const q = query({ tags, page, per_page: "7" });
        const skip = (q.page - 1) * 7;
        const ids = (rows: { id: bigint }[]) => rows.map((r) => String(r.id));
        const expected = (await viaPrisma(who, q, skip, 7)).map((j) => j.id);
        const label = `${who.role} ${tags.join("&")} page ${page}`;
        assert.deepEqual(ids(await readJobPage(db, who, q, skip)), expected, `${label}, walked`);
        assert.deepEqual(ids(await readJobPage(db, who, q, skip, 1)), expected, `${label}, read whole`);
      }
    }
  }
});

test("a page past the end is empty and still says the total", async () => {
  const db = await getDb();
  const filters: Record<string, string>[] = [{}, { state: "running" }, { tags: "gpu" }, { name: "soak" }];
  for (const f of filters) {
    const got = await listJobs(db, acmeAdmin, query({ ...f, page: "999", per_page: "50" }));
    assert.deepEqual(got.results, []);
    assert.equal(
      got.pagination.total,
      await db.job.count({ where: prismaWhere(acmeAdmin, query(f)) }),
      JSON.stringify(f),
    );
    assert.ok(got.pagination.total > 0);
  }
});

test("every sort, both ways, and the performance_nodes expansion", async () => {
  const db = await getDb();
  for (const sort_by of JOB_SORT_FIELDS) {
    for (const sort_order of ["asc", "desc"]) {
      // Page 41 of 25 starts at offset 1000: the deferred join.
      for (const page of ["1", "41"]) {
        const q = query({ sort_by, sort_order, page, per_page: "25", include: ["performance", "performance_nodes"] });
        const got = await listJobs(db, acmeAdmin, q);
        assert.equal(got.results.length, 25);
        assert.deepEqual(
          got.results,
          await viaPrisma(acmeAdmin, q, (q.page - 1) * 25, 25),
          `${sort_by} ${sort_order} p${page}`,
        );
      }
    }
  }
  // The expansion really carries nodes: rejected ones left out, ids exact.
  const withNodes = (
    await listJobs(db, root, query({ include: ["performance", "performance_nodes"], per_page: "300" }))
  ).results.find((j) => (j.performance_nodes ?? []).length);
  assert.equal(withNodes?.performance_nodes?.length, 2);
  assert.match(String(withNodes?.performance_nodes?.[0].task_id), /^\d+$/);
});

test("an export walks every row once, in the list's order, for every sort", async () => {
  const db = await getDb();
  for (const sort_by of JOB_SORT_FIELDS) {
    for (const sort_order of ["asc", "desc"]) {
      const q = query({ sort_by, sort_order, include_results: "true" });
      const walked = [];
      // Pages of 97: boundaries fall inside runs of equal values and inside the nulls.
      for await (const page of allJobPages(db, ada, q, 97))
        walked.push(...page.map((j) => serializeJob(j, listExpansions(q))));
      const all = await viaPrisma(ada, q, 0, 5000);
      assert.equal(walked.length, all.length);
      assert.deepEqual(walked, all, `${sort_by} ${sort_order}`);
    }
  }
});

test("a job's detail, nodes and results included, is what Prisma's reading gives; another tenant's is a 404", async () => {
  const db = await getDb();
  const jobs = await db.job.findMany({
    where: { customerId: ada.customerId, deletedAt: null, tasks: { some: {} } },
    take: 3,
    select: { id: true },
  });
  assert.equal(jobs.length, 3);
  for (const { id } of jobs) {
    const job = await db.job.findUniqueOrThrow({
      where: { id },
      select: { ...JOB_DETAIL_SELECT, customerId: true, userId: true },
    });
    const tasks = await db.task.findMany({ where: { jobId: id }, orderBy: { id: "asc" }, select: TASK_SELECT });
    const results = await db.benchmarkResult.findMany({
      where: { jobId: id },
      orderBy: { id: "asc" },
      select: RESULT_SELECT,
    });
    assert.ok(tasks.length && results.some((r) => r.taskId === null) && results.some((r) => r.taskId !== null));
    const expected = {
      ...serializeJobDetail(job, tasks, results, "https://b.test"),
      caller_permissions: jobCommandsFor(acmeAdmin, job),
    };
    const got = await getJobDetail(db, acmeAdmin, id, "https://b.test");
    // The documents are handed through as the text PostgreSQL sent, and written as it is.
    assert.ok(
      got.benchmark_results && Object.values(got.benchmark_results).every((r) => r.results instanceof JsonText),
    );
    assert.deepEqual(wire(got), wire(expected), String(id));
    const gusOnly = await caller("user", "Globex");
    await assert.rejects(getJobDetail(db, gusOnly, id), JobNotFoundError);
    // The job's own results (GET /jobs/{id}/results), whole and compact, with and without names.
    const own = results.filter((r) => r.taskId === null);
    for (const names of [false, true]) {
      const whole = await getJobResults(db, acmeAdmin, id, names);
      assert.ok(Object.values(whole).every((r) => r.results instanceof JsonText));
      assert.deepEqual(wire(whole), wire(resultsMap(own, names)), `${id} results`);
      const compact = Object.fromEntries(
        Object.entries(resultsMap(own, names)).map(([k, r]) => [k, compactSerialized(r, true)]),
      );
      assert.deepEqual(wire(await getJobResults(db, acmeAdmin, id, names, true)), wire(compact), `${id} compact`);
    }
    await assert.rejects(getJobResults(db, gusOnly, id, false), JobNotFoundError);
    // GET /tasks?job_id=…&include_results=true: each node with its own results, as Prisma reads them.
    const listed = await listTasks(
      db,
      acmeAdmin,
      listTasksQuerySchema.parse({ job_id: String(id), include_results: "true", per_page: "100" }),
    );
    assert.equal(listed.data.length, tasks.length);
    for (const t of wire(listed).data as { id: string; benchmark_results: unknown }[]) {
      const own = results.filter((r) => String(r.taskId) === t.id);
      assert.ok(own.length);
      assert.deepEqual(t.benchmark_results, wire(resultsMap(own)), `${id} task ${t.id}`);
    }
  }
});
