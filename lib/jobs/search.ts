import { directQuery, type Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { Caller } from "../auth/caller";
import { jobCountersVisibilitySql } from "../auth/visibility";
import type { CountFilters } from "./counts";
import type { ListJobsQuery } from "./schemas";
import { jobOrderSql } from "./filter-sql";
import { countByNameWords } from "./name-words";

/**
 * The name and multi-tag filters through job_search, the narrow, trigger-kept copy of the
 * live jobs' names and tags (migration 20261130031000_job_search). A common word in `name=`
 * matches tens of thousands of jobs, and counting them on the wide jobs rows cost up to
 * 900 ms at 1M jobs; here the matches are checked on rows of about 80 bytes. Used when the
 * filters are a name and/or tags and nothing else (every other filter keeps the jobs table's
 * indexes and counters); the same conditions as Prisma's `contains` (insensitive, `%` and `_`
 * as given) and `hasEvery`, so both paths return the same jobs (test/job-counters.test.ts).
 * Insensitive is `name_lower LIKE lower(pattern)`, the copy keeping each name lowercased:
 * what ILIKE computes for UTF-8, without lowercasing every candidate's name on every request
 * (migration 20261130110000).
 */
export function searchAnswers(q: CountFilters): boolean {
  const tags = q.tags ?? [];
  if (!q.name && tags.length < 2) return false;
  return (
    !q.state &&
    !q.benchmark_id &&
    !q.created_after &&
    !q.created_before &&
    q.node_count_min === undefined &&
    q.node_count_max === undefined &&
    q.has_performance_data === undefined &&
    !q.performance_status
  );
}

function searchWhere(caller: Caller, q: CountFilters): Prisma.Sql {
  const and = [jobCountersVisibilitySql(caller, "s")];
  if (q.name) and.push(Prisma.sql`s.name_lower LIKE ('%' || lower(${q.name}::text) || '%')`);
  if (q.tags?.length) and.push(Prisma.sql`s.tags @> ${q.tags}::text[]`);
  return Prisma.join(and, " AND ");
}

export async function countSearch(db: Db, caller: Caller, q: CountFilters): Promise<number> {
  // A name alone is usually answered by its words (lib/jobs/name-words.ts).
  const byWords = q.name && !q.tags?.length ? await countByNameWords(db, caller, q.name) : null;
  if (byWords !== null) return byWords;
  const rows = await directQuery<{ n: number }>(
    db,
    Prisma.sql`SELECT count(*)::int AS n FROM job_search s WHERE ${searchWhere(caller, q)}`,
  );
  return Number(rows[0].n);
}

/**
 * At most this many matches count as few: their page reads them all and sorts them. PostgreSQL
 * otherwise walks the scope's created_at index testing every row's tags until a page is
 * full, which for a pair of tags on 674 of a big customer's 338,787 jobs at 1M jobs meant
 * 9,700 rows and 24–32 ms, against 11–13 ms for reading the matches (docs/performance-budget.md).
 */
export const FEW_MATCHES = 5000;

/**
 * The statement for one page's ids in the list's default order (created_at, then id), or
 * null when these filters or that sort are not for job_search. The list joins the rows to it
 * (lib/jobs/list-rows.ts). `matches`: the filters' total when it is known before the page
 * (two tags alone, from the tag-pair counters); few matches are read whole behind an
 * OFFSET 0, which PostgreSQL plans on its own, so the outer sort cannot turn it into a walk.
 */
export function searchPageIdsSql(
  caller: Caller,
  q: ListJobsQuery,
  limit: Prisma.Sql,
  matches?: number,
): Prisma.Sql | null {
  if (!searchAnswers(q) || q.sort_by !== "created_at") return null;
  const where = searchWhere(caller, q);
  const order = jobOrderSql(q, "s");
  return matches !== undefined && matches <= FEW_MATCHES
    ? Prisma.sql`SELECT s.id FROM (SELECT s.id, s.created_at FROM job_search s WHERE ${where} OFFSET 0) s ORDER BY ${order} ${limit}`
    : Prisma.sql`SELECT s.id FROM job_search s WHERE ${where} ORDER BY ${order} ${limit}`;
}
