import type { Db } from "../db/client";
import type { Prisma } from "../generated/prisma/client";
import type { Caller } from "../auth/caller";
import { jobVisibilityWhere } from "../auth/visibility";
import { JobNotFoundError } from "../api/errors";
import { jobCommandsFor } from "../auth/permissions";
import type { JobSortField, JobStatsQuery, ListJobsQuery } from "./schemas";
import {
  JOB_DETAIL_SELECT,
  RESULT_SELECT,
  TASK_SELECT,
  jobListSelect,
  serializeJob,
  serializeJobDetail,
  resultsMap,
  type JobListRow,
  type ListExpansions,
} from "./serialize";
import { compactSerialized } from "../results/compact";
import { countByPerformanceStatus, countJobs, visibleTags } from "./counts";
import { searchAnswers, searchPageIds } from "./search";

const SORT_COLUMNS: Record<JobSortField, keyof Prisma.JobOrderByWithRelationInput> = {
  created_at: "createdAt",
  started_at: "startedAt",
  ended_at: "endedAt",
  expires_at: "expiresAt",
  name: "name",
  state: "state",
  node_count: "nodeCount",
  current_nodes: "currentNodes",
};
const NULLABLE_SORTS = new Set<JobSortField>(["started_at", "ended_at"]);
/**
 * From this offset on, a page is found as ids first and rows second (a "deferred join"):
 * the ids of the skipped rows come from an index-only scan of the sort index instead of
 * fetching every skipped row from the table.
 */
const DEFERRED_JOIN_FROM_OFFSET = 1000;

/** Filters shared by the list and the stats count; always inside the caller's visibility. */
function jobFilterWhere(caller: Caller, q: Partial<ListJobsQuery>): Prisma.JobWhereInput {
  const and: Prisma.JobWhereInput[] = [jobVisibilityWhere(caller)];
  if (q.state) and.push({ state: q.state });
  if (q.name) and.push({ name: { contains: q.name, mode: "insensitive" } });
  if (q.benchmark_id) and.push({ benchmarkIds: { has: q.benchmark_id } });
  if (q.tags?.length) and.push({ tags: { hasEvery: q.tags } });
  if (q.created_after) and.push({ createdAt: { gt: q.created_after } });
  if (q.created_before) and.push({ createdAt: { lt: q.created_before } });
  if (q.node_count_min !== undefined) and.push({ nodeCount: { gte: q.node_count_min } });
  if (q.node_count_max !== undefined) and.push({ nodeCount: { lte: q.node_count_max } });
  if (q.has_performance_data !== undefined) {
    and.push(q.has_performance_data ? { performanceStatus: { not: "unknown" } } : { performanceStatus: "unknown" });
  }
  if (q.performance_status) and.push({ performanceStatus: q.performance_status });
  return { AND: and };
}

/** The list's sort, with the id as tie-breaker so pages never overlap or skip. */
function jobOrderBy(q: Pick<ListJobsQuery, "sort_by" | "sort_order">): Prisma.JobOrderByWithRelationInput[] {
  const column = SORT_COLUMNS[q.sort_by];
  return [
    NULLABLE_SORTS.has(q.sort_by) ? { [column]: { sort: q.sort_order, nulls: "last" } } : { [column]: q.sort_order },
    { id: q.sort_order },
  ];
}

/** What a list item shows beyond its columns: results, the performance roll-up, scored nodes. */
export function listExpansions(q: ListJobsQuery): ListExpansions {
  return {
    includeResults: q.include_results,
    performance: q.include.includes("performance"),
    performanceNodes: q.include.includes("performance_nodes"),
  };
}

export async function listJobs(db: Db, caller: Caller, q: ListJobsQuery) {
  const where = jobFilterWhere(caller, q);
  const orderBy = jobOrderBy(q);
  const select = jobListSelect(listExpansions(q));
  const skip = (q.page - 1) * q.per_page;
  const page = async () => {
    // Name and tag filters: the page's ids from job_search, then those rows (lib/jobs/search.ts).
    const found = searchAnswers(q) ? await searchPageIds(db, caller, q, skip) : null;
    if (found) {
      return found.length ? db.job.findMany({ where: { AND: [where, { id: { in: found } }] }, orderBy, select }) : [];
    }
    if (skip < DEFERRED_JOIN_FROM_OFFSET) return db.job.findMany({ where, orderBy, skip, take: q.per_page, select });
    const ids = (await db.job.findMany({ where, orderBy, skip, take: q.per_page, select: { id: true } })).map(
      (j) => j.id,
    );
    return ids.length ? db.job.findMany({ where: { AND: [where, { id: { in: ids } }] }, orderBy, select }) : [];
  };
  const [total, jobs] = await Promise.all([countJobs(db, caller, q, where), page()]);
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
 * Every job GET /jobs would list for these filters and sort (all pages, ignoring page and
 * per_page), read in pages of `pageSize` so exports of any size stream in bounded memory.
 * Pages continue from the last row (cursor), not by offset, so late pages stay cheap.
 */
export async function* allJobPages(db: Db, caller: Caller, q: ListJobsQuery, pageSize = 500) {
  const where = jobFilterWhere(caller, q);
  const orderBy = jobOrderBy(q);
  let cursor: bigint | null = null;
  for (;;) {
    const page: JobListRow[] = await db.job.findMany({
      where,
      orderBy,
      take: pageSize,
      select: jobListSelect(listExpansions(q)),
      ...(cursor === null ? {} : { cursor: { id: cursor }, skip: 1 }),
    });
    if (page.length) yield page;
    if (page.length < pageSize) return;
    cursor = page[page.length - 1].id;
  }
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
  const where = jobFilterWhere(caller, filters);
  const count = (status: (typeof statuses)[number]) =>
    countJobs(db, caller, { ...filters, performance_status: status }, { AND: [where, { performanceStatus: status }] });
  const [alert, regressed] = await Promise.all(statuses.map(count));
  return { alert_job_count: alert, regressed_job_count: regressed };
}

/** Unique tags over the caller's visible jobs, alphabetically. */
export async function listTags(db: Db, caller: Caller): Promise<string[]> {
  return visibleTags(db, caller);
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
  // visible; for anyone else the answer is the same 404 as before.
  // Each reads only the columns the answer shows (lib/jobs/serialize.ts).
  const [job, tasks, results] = await Promise.all([
    db.job.findFirst({
      where: { AND: [jobVisibilityWhere(caller), { id }] },
      select: { ...JOB_DETAIL_SELECT, customerId: true, userId: true },
    }),
    db.task.findMany({ where: { jobId: id }, orderBy: { id: "asc" }, select: TASK_SELECT }),
    db.benchmarkResult.findMany({ where: { jobId: id }, orderBy: { id: "asc" }, select: RESULT_SELECT }),
  ]);
  if (!job) throw new JobNotFoundError(id);
  // Extension: what this caller may do with the job, so the dashboard offers only those commands.
  return { ...serializeJobDetail(job, tasks, results, origin), caller_permissions: jobCommandsFor(caller, job) };
}

export async function getJobResults(db: Db, caller: Caller, id: bigint, withDisplayNames: boolean, compact = false) {
  await findVisibleJob(db, caller, id);
  const results = await db.benchmarkResult.findMany({ where: { jobId: id, taskId: null }, orderBy: { id: "asc" } });
  const map = resultsMap(results, withDisplayNames);
  return compact ? Object.fromEntries(Object.entries(map).map(([k, r]) => [k, compactSerialized(r, true)])) : map;
}
