import { directQuery, type Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { Caller } from "../auth/caller";
import { jobCountersVisibilitySql } from "../auth/visibility";
import type { ListJobsQuery } from "./schemas";
import { countSearch, searchAnswers } from "./search";
import { jobFilterSql } from "./filter-sql";

/**
 * Exact totals for the list and the stats badge. COUNT(*) over a big customer's hundreds of
 * thousands of live jobs costs more than the whole request budget, so when a request filters
 * only by dimensions the trigger-maintained counters hold (state, performance status, node
 * count range, and at most one tag or one benchmark id; or one or two tags alone), the total
 * is a sum over counter rows; a name, or three tags or more, alone are counted in job_search
 * (lib/jobs/search.ts); any other filter counts matching rows through the indexes. Every path
 * gives the same number (test/job-counters.test.ts).
 */
export type CountFilters = Pick<
  Partial<ListJobsQuery>,
  | "state"
  | "name"
  | "benchmark_id"
  | "tags"
  | "created_after"
  | "created_before"
  | "node_count_min"
  | "node_count_max"
  | "has_performance_data"
  | "performance_status"
>;

/**
 * The counter table and its extra condition that can answer these filters, or null.
 * `breakdown`: the caller also narrows by the counters' state, performance status or node
 * count columns, which the tag pairs do not have.
 */
function counterSource(
  q: CountFilters,
  breakdown = false,
): { table: Prisma.Sql; condition?: Prisma.Sql; pairs?: true } | null {
  if (q.name || q.created_after || q.created_before) return null;
  const tags = [...new Set(q.tags ?? [])];
  // Every job's sequence starts with quick_mark (lib/jobs/benchmark-sequence.ts), so that
  // benchmark filter — the stats endpoint's only allowed value — never narrows a count.
  const benchmark = q.benchmark_id && q.benchmark_id !== "quick_mark" ? q.benchmark_id : undefined;
  const narrowed =
    breakdown ||
    benchmark !== undefined ||
    q.state !== undefined ||
    q.performance_status !== undefined ||
    q.has_performance_data !== undefined ||
    q.node_count_min !== undefined ||
    q.node_count_max !== undefined;
  // One or two tags and nothing else: one row per user in scope. A tag alone is the pair of it
  // with itself; the pair is stored in order (migration 20261130120000_job_tag_pair_counts).
  if (!narrowed && (tags.length === 1 || tags.length === 2)) {
    const [a, b = a] = tags;
    return {
      table: Prisma.sql`job_tag_pair_counts`,
      pairs: true,
      condition: Prisma.sql`c.tag_a = LEAST(${a}::text, ${b}::text) AND c.tag_b = GREATEST(${a}::text, ${b}::text)`,
    };
  }
  if (tags.length > 1 || (tags.length === 1 && benchmark)) return null;
  if (tags.length === 1) return { table: Prisma.sql`job_tag_counts`, condition: Prisma.sql`c.tag = ${tags[0]}` };
  if (benchmark)
    return { table: Prisma.sql`job_benchmark_counts`, condition: Prisma.sql`c.benchmark_id = ${benchmark}` };
  return { table: Prisma.sql`job_counts` };
}

async function sumCounters(db: Db, caller: Caller, q: CountFilters): Promise<number | null> {
  const where = counterWhere(caller, q);
  if (!where) return null;
  const rows = await directQuery<{ n: number }>(
    db,
    Prisma.sql`SELECT COALESCE(SUM(c.jobs), 0)::int AS n FROM ${where}`,
  );
  return Number(rows[0].n);
}

/** Whether the total of these filters is a sum of counters: a few rows, read faster than any page. */
export function countFromCounters(q: CountFilters): boolean {
  return counterSource(q) !== null;
}

/** Whether the total of these filters is a sum of tag-pair counters (one or two tags alone). */
export function totalFromTagPairs(q: CountFilters): boolean {
  return counterSource(q)?.pairs === true;
}

/** `<counter table> c WHERE …` for these filters, or null when no counter holds them. */
function counterWhere(caller: Caller, q: CountFilters, breakdown = false): Prisma.Sql | null {
  const source = counterSource(q, breakdown);
  if (!source) return null;
  const and = [jobCountersVisibilitySql(caller)];
  if (source.condition) and.push(source.condition);
  if (q.state) and.push(Prisma.sql`c.state = ${q.state}`);
  if (q.performance_status) and.push(Prisma.sql`c.performance_status = ${q.performance_status}`);
  if (q.has_performance_data !== undefined)
    and.push(
      q.has_performance_data
        ? Prisma.sql`c.performance_status <> 'unknown'`
        : Prisma.sql`c.performance_status = 'unknown'`,
    );
  if (q.node_count_min !== undefined) and.push(Prisma.sql`c.node_count >= ${q.node_count_min}`);
  if (q.node_count_max !== undefined) and.push(Prisma.sql`c.node_count <= ${q.node_count_max}`);
  return Prisma.sql`${source.table} c WHERE ${Prisma.join(and, " AND ")}`;
}

/**
 * Totals per performance status in one statement (the stats badge asks for two): from the
 * counters when they hold the filters, else null and the caller counts each status itself.
 */
export async function countByPerformanceStatus<S extends string>(
  db: Db,
  caller: Caller,
  q: CountFilters,
  statuses: readonly S[],
): Promise<Record<S, number> | null> {
  const where = counterWhere(caller, { ...q, performance_status: undefined }, true);
  if (!where || q.performance_status) return null;
  const sums = Prisma.join(
    statuses.map(
      (s, i) =>
        Prisma.sql`COALESCE(SUM(c.jobs) FILTER (WHERE c.performance_status = ${s}), 0)::int AS ${Prisma.raw(`s${i}`)}`,
    ),
  );
  const [row] = await directQuery<Record<string, number>>(db, Prisma.sql`SELECT ${sums} FROM ${where}`);
  return Object.fromEntries(statuses.map((s, i) => [s, Number(row[`s${i}`])])) as Record<S, number>;
}

/** Visible jobs matching the filters. */
export async function countJobs(db: Db, caller: Caller, q: CountFilters): Promise<number> {
  const summed = await sumCounters(db, caller, q);
  if (summed !== null) return summed;
  if (searchAnswers(q)) return countSearch(db, caller, q);
  const rows = await directQuery<{ n: number }>(
    db,
    Prisma.sql`SELECT count(*)::int AS n FROM jobs j WHERE ${jobFilterSql(caller, q)}`,
  );
  return Number(rows[0].n);
}

/**
 * Unique tags of the caller's live jobs, alphabetically: a skip scan over the tag counters'
 * (scope…, tag) index — one index probe per distinct tag — rather than unnesting the tags of
 * every visible job.
 */
export async function visibleTags(db: Db, caller: Caller): Promise<string[]> {
  const vis = jobCountersVisibilitySql(caller);
  const rows = await directQuery<{ tag: string }>(
    db,
    Prisma.sql`
    WITH RECURSIVE t(tag) AS (
      (SELECT c.tag FROM job_tag_counts c WHERE ${vis} ORDER BY c.tag LIMIT 1)
      UNION ALL
      SELECT (SELECT c.tag FROM job_tag_counts c WHERE ${vis} AND c.tag > t.tag ORDER BY c.tag LIMIT 1) FROM t WHERE t.tag IS NOT NULL
    )
    SELECT tag FROM t WHERE tag IS NOT NULL`,
  );
  return rows.map((r) => r.tag);
}
