import { directQuery, type Db } from "../db/client";
import { Prisma, type Job } from "../generated/prisma/client";
import { selectSql, toBigInt, type RawRow, type TextDocs } from "../db/columns";
import { jsonText } from "../util/json-text";
import { readResultRows } from "../results/rows";
import type { Caller } from "../auth/caller";
import { jobVisibilitySql, jobVisibilityWhere } from "../auth/visibility";
import { JobNotFoundError } from "../api/errors";
import { jobCommandsFor } from "../auth/permissions";
import type { JobStatsQuery, ListJobsQuery } from "./schemas";
import {
  JOB_DETAIL_SELECT,
  TASK_SELECT,
  serializeJob,
  serializeJobDetail,
  resultsMap,
  type JobDetailRow,
  type TaskRow,
} from "./serialize";
import { compactSerialized } from "../results/compact";
import { countByPerformanceStatus, countFromCounters, countJobs, totalFromTagPairs, visibleTags } from "./counts";
import { listExpansions, pageIsSlow, readJobPage } from "./list-rows";
import { searchAnswers } from "./search";

export async function listJobs(db: Db, caller: Caller, q: ListJobsQuery) {
  const skip = (q.page - 1) * q.per_page;
  // Two tags alone: the total is a counter row per user (lib/jobs/counts.ts), so it is read
  // first and tells the page whether the matches are few (lib/jobs/search.ts). Otherwise the
  // count may be as slow as the page, and the two run side by side, the slower one sent first:
  // it starts a write earlier, and as the pool hands out the connection released last — the
  // slower statement's — each keeps its connection from one request to the next. A slow page
  // with its total from the counters went first: 0.8–0.9 ms less over its SQL for a deep page,
  // 0.4–0.6 ms for the Performance page's list; an ordinary page, barely slower than the
  // counters' sum, gained nothing that way (docs/benchmark-history.md, 2026-12-02 evening).
  let total: number, jobs: Awaited<ReturnType<typeof readJobPage>>;
  if (totalFromTagPairs(q) && searchAnswers(q)) {
    total = await countJobs(db, caller, q);
    jobs = await readJobPage(db, caller, q, skip, total);
  } else if (countFromCounters(q) && pageIsSlow(q, skip)) {
    [jobs, total] = await Promise.all([readJobPage(db, caller, q, skip), countJobs(db, caller, q)]);
  } else [total, jobs] = await Promise.all([countJobs(db, caller, q), readJobPage(db, caller, q, skip)]);
  const totalPages = Math.ceil(total / q.per_page);
  const expansions = listExpansions(q);
  return {
    results: jobs.map((j) => serializeJob(j, expansions)),
    pagination: {
      total,
      page: q.page,
      per_page: q.per_page,
      total_pages: totalPages,
      has_next: q.page < totalPages,
      has_prev: q.page > 1,
    },
  };
}

/**
 * Performance badge: visible jobs matching the filters whose roll-up is underperforming
 * (alert_job_count, the wire contract's meaning) and, separately, regressed against their
 * machines' own history (regressed_job_count).
 */
export async function jobStats(db: Db, caller: Caller, q: JobStatsQuery) {
  const filters = { state: q.state, name: q.name, tags: q.tags, benchmark_id: q.benchmark_id };
  const statuses = ["underperforming", "regressed"] as const;
  // One statement over the counters for both figures when they hold the filters.
  const both = await countByPerformanceStatus(db, caller, filters, statuses);
  if (both) return { alert_job_count: both.underperforming, regressed_job_count: both.regressed };
  const count = (status: (typeof statuses)[number]) =>
    countJobs(db, caller, { ...filters, performance_status: status });
  const [alert, regressed] = await Promise.all(statuses.map(count));
  return { alert_job_count: alert, regressed_job_count: regressed };
}

/** Unique tags over the caller's visible jobs, alphabetically. */
export async function listTags(db: Db, caller: Caller): Promise<string[]> {
  return visibleTags(db, caller);
}

/**
 * JobNotFoundError unless the caller may see the job: one indexed column, for reads that need
 * only the check (findVisibleJob reads the whole row).
 */
export async function assertJobVisible(db: Db, caller: Caller, id: bigint): Promise<void> {
  const [visible] = await directQuery<{ id: unknown }>(
    db,
    Prisma.sql`SELECT j.id FROM jobs j WHERE ${jobVisibilitySql(caller)} AND j.id = ${id.toString()}::bigint`,
  );
  if (!visible) throw new JobNotFoundError(id);
}

/** A visible job or JobNotFoundError: other tenants' jobs are indistinguishable from missing ones. */
export async function findVisibleJob(db: Db, caller: Caller, id: bigint) {
  const job = await db.job.findFirst({ where: { AND: [jobVisibilityWhere(caller), { id }] } });
  if (!job) throw new JobNotFoundError(id);
  return job;
}

export async function getJobDetail(db: Db, caller: Caller, id: bigint, origin = "") {
  // The job, its nodes and its results at once: one round trip's wait instead of three in a
  // row (docs/performance-budget.md). Nodes and results are only used once the job proved
  // visible; for anyone else the answer is the same 404 as before. Each reads only the
  // columns the answer shows (lib/jobs/serialize.ts), straight through the pool: Prisma's
  // layer cost more CPU than the three statements themselves. The nodes' and results'
  // documents, most of the answer's bytes, come as text and are written as they are.
  const jobId = Prisma.sql`${id.toString()}::bigint`;
  const [[job], tasks, results] = await Promise.all([
    directQuery<RawRow<JobDetailRow & Pick<Job, "customerId" | "userId">>>(
      db,
      Prisma.sql`SELECT ${selectSql({ ...JOB_DETAIL_SELECT, customerId: true, userId: true }, "j")}
        FROM jobs j WHERE ${jobVisibilitySql(caller)} AND j.id = ${jobId}`,
    ),
    directQuery<RawRow<TextDocs<TaskRow, "inventory">>>(
      db,
      Prisma.sql`SELECT ${selectSql(TASK_SELECT, "t", ["inventory"])} FROM tasks t WHERE t.job_id = ${jobId} ORDER BY t.id`,
    ),
    readResultRows(db, Prisma.sql`r.job_id = ${jobId}`),
  ]);
  if (!job) throw new JobNotFoundError(id);
  const detail = serializeJobDetail(
    { ...job, id: toBigInt(job.id) },
    tasks.map((t) => ({ ...t, id: toBigInt(t.id), jobId: toBigInt(t.jobId), inventory: jsonText(t.inventory) })),
    results,
    origin,
  );
  // Extension: what this caller may do with the job, so the dashboard offers only those commands.
  return { ...detail, caller_permissions: jobCommandsFor(caller, job) };
}

export async function getJobResults(db: Db, caller: Caller, id: bigint, withDisplayNames: boolean, compact = false) {
  // The visibility check and the job's own results at once, as the detail reads them.
  const [, results] = await Promise.all([
    assertJobVisible(db, caller, id),
    readResultRows(db, Prisma.sql`r.job_id = ${id.toString()}::bigint AND r.task_id IS NULL`, compact),
  ]);
  const map = resultsMap(results, withDisplayNames);
  return compact ? Object.fromEntries(Object.entries(map).map(([k, r]) => [k, compactSerialized(r, true)])) : map;
}
