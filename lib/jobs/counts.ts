import type { Db } from "../db/client";
import type { Prisma } from "../generated/prisma/client";
import type { Caller } from "../auth/caller";
import { jobCountersVisibilitySql } from "../auth/visibility";
import type { ListJobsQuery } from "./schemas";

/**
 * Exact totals for the list and the stats badge. COUNT(*) over a big customer's hundreds of
 * thousands of live jobs costs more than the whole request budget, so when a request filters
 * only by dimensions the trigger-maintained counters hold (state, performance status, one
 * tag), the total is a sum over a few counter rows; any other filter counts matching rows
 * through the indexes. Both paths give the same number (test/job-counters.test.ts).
 */
export type CountFilters = Pick<Partial<ListJobsQuery>, "state" | "name" | "benchmark_id" | "tags" | "created_after" | "created_before" | "node_count_min" | "node_count_max" | "has_performance_data"> & {
  performance_status?: "underperforming";
};

function onlyCounterDimensions(q: CountFilters): boolean {
  return (
    !q.name &&
    // Every job's sequence starts with quick_mark (lib/jobs/benchmark-sequence.ts), so that
    // filter — the stats endpoint's only allowed value — never narrows the count.
    (!q.benchmark_id || q.benchmark_id === "quick_mark") &&
    !q.created_after &&
    !q.created_before &&
    q.node_count_min === undefined &&
    q.node_count_max === undefined
  );
}

async function sumCounters(db: Db, caller: Caller, q: CountFilters): Promise<number | null> {
  const tags = q.tags ?? [];
  if (!onlyCounterDimensions(q) || tags.length > 1) return null;
  const vis = jobCountersVisibilitySql(caller);
  const params = [...vis.params];
  if (tags.length === 1) {
    // The tag counters have no state or performance dimension.
    if (q.state || q.has_performance_data !== undefined || q.performance_status) return null;
    params.push(tags[0]);
    const rows = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT COALESCE(SUM(c.jobs), 0)::int AS n FROM job_tag_counts c WHERE ${vis.sql} AND c.tag = $${params.length}`, ...params);
    return Number(rows[0].n);
  }
  const and = [vis.sql];
  if (q.state) {
    params.push(q.state);
    and.push(`c.state = $${params.length}`);
  }
  if (q.performance_status) {
    params.push(q.performance_status);
    and.push(`c.performance_status = $${params.length}`);
  }
  if (q.has_performance_data !== undefined) and.push(q.has_performance_data ? `c.performance_status <> 'unknown'` : `c.performance_status = 'unknown'`);
  const rows = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT COALESCE(SUM(c.jobs), 0)::int AS n FROM job_counts c WHERE ${and.join(" AND ")}`, ...params);
  return Number(rows[0].n);
}

/** Visible jobs matching the filters; `where` is the same filter as Prisma input, for the counting path. */
export async function countJobs(db: Db, caller: Caller, q: CountFilters, where: Prisma.JobWhereInput): Promise<number> {
  return (await sumCounters(db, caller, q)) ?? db.job.count({ where });
}
