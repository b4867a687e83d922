import { directQuery, type Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { columnOf, selectSql, toBigInt, type RawRow } from "../db/columns";
import type { Caller } from "../auth/caller";
import type { ListJobsQuery } from "./schemas";
import { JOB_LIST_COLUMNS, SCORED_NODE_SELECT, type JobListRow, type ListExpansions } from "./serialize";
import { jobAfterSql, jobFilterSql, jobOrderSql } from "./filter-sql";
import { searchPageIdsSql } from "./search";

/**
 * From this offset on, a page is found as ids first and rows second (a "deferred join"):
 * the ids of the skipped rows come from an index-only scan of the sort index instead of
 * fetching every skipped row from the table.
 */
const DEFERRED_JOIN_FROM_OFFSET = 1000;

/**
 * Whether a page's statement takes far longer than a sum of counters: a deep page (the deferred
 * join walks every skipped id) or one gathering each job's scored nodes. listJobs sends such a
 * page before its total (lib/jobs/queries.ts).
 */
export function pageIsSlow(q: Pick<ListJobsQuery, "include">, skip: number): boolean {
  return skip >= DEFERRED_JOIN_FROM_OFFSET || q.include.includes("performance_nodes");
}

/** What a list item shows beyond its columns: results, the performance roll-up, scored nodes. */
export function listExpansions(q: Pick<ListJobsQuery, "include_results" | "include">): ListExpansions {
  return {
    includeResults: q.include_results,
    performance: q.include.includes("performance"),
    performanceNodes: q.include.includes("performance_nodes"),
  };
}

/**
 * The job's scored nodes (SCORED_NODE_SELECT), gathered in the same statement as the job. The
 * id travels as text: JSON numbers stop being exact at 2^53.
 */
const SCORED_NODES_SQL = `(SELECT COALESCE(json_agg(json_build_object(${Object.keys(SCORED_NODE_SELECT)
  .map((key) => `'${key}', t.${columnOf(key)}${key === "id" ? "::text" : ""}`)
  .join(", ")}) ORDER BY t.id), '[]')
  FROM tasks t WHERE t.job_id = j.id AND t.state <> 'rejected') AS "tasks"`;

/** The columns a list item is made of (lib/jobs/serialize.ts), the JSON roll-ups only when an expansion shows them. */
function columnsSql(x: ListExpansions): Prisma.Sql {
  const columns = selectSql(
    { ...JOB_LIST_COLUMNS, quickmarkAggregate: x.includeResults, performance: x.performance },
    "j",
  );
  return x.performanceNodes ? Prisma.sql`${columns}, ${Prisma.raw(SCORED_NODES_SQL)}` : columns;
}

type RawJobRow = RawRow<Omit<JobListRow, "tasks">> & {
  tasks?: RawRow<NonNullable<JobListRow["tasks"]>[number]>[];
};

/**
 * One statement per page, straight through the pool. Ids come back as text or bigint
 * depending on the driver (lib/db/client.ts); everything else as Prisma would give it.
 */
async function readRows(db: Db, x: ListExpansions, from: Prisma.Sql): Promise<JobListRow[]> {
  const rows = await directQuery<RawJobRow>(db, Prisma.sql`SELECT ${columnsSql(x)} FROM ${from}`);
  return rows.map(({ tasks, ...r }) => ({
    ...r,
    id: toBigInt(r.id),
    ...(tasks ? { tasks: tasks.map((t) => ({ ...t, id: toBigInt(t.id) })) } : {}),
  }));
}

/**
 * One page of GET /jobs in one statement: a name or several tags find the page's ids in
 * job_search (lib/jobs/search.ts; `matches`, the total when already known, tells it whether
 * they are few), a deep page its ids through the sort index alone, and either joins its rows;
 * any other page reads its rows directly.
 */
export function readJobPage(
  db: Db,
  caller: Caller,
  q: ListJobsQuery,
  skip: number,
  matches?: number,
): Promise<JobListRow[]> {
  const where = jobFilterSql(caller, q);
  const order = jobOrderSql(q);
  const limit = Prisma.sql`LIMIT ${q.per_page}::int OFFSET ${skip}::int`;
  const searched = searchPageIdsSql(caller, q, limit, matches);
  const from = searched
    ? Prisma.sql`jobs j JOIN (${searched}) p ON p.id = j.id WHERE ${where} ORDER BY ${order}`
    : skip >= DEFERRED_JOIN_FROM_OFFSET
      ? Prisma.sql`jobs j JOIN (SELECT j.id FROM jobs j WHERE ${where} ORDER BY ${order} ${limit}) p ON p.id = j.id ORDER BY ${order}`
      : Prisma.sql`jobs j WHERE ${where} ORDER BY ${order} ${limit}`;
  return readRows(db, listExpansions(q), from);
}

/**
 * Every job GET /jobs would list for these filters and sort (all pages, ignoring page and
 * per_page), read in pages of `pageSize` so exports of any size stream in bounded memory.
 * Each page continues after the last row (keyset), not by offset, so late pages stay cheap.
 */
export async function* allJobPages(db: Db, caller: Caller, q: ListJobsQuery, pageSize = 500) {
  const where = jobFilterSql(caller, q);
  const order = jobOrderSql(q);
  let after = Prisma.empty;
  for (;;) {
    const page = await readRows(
      db,
      listExpansions(q),
      Prisma.sql`jobs j WHERE ${where}${after} ORDER BY ${order} LIMIT ${pageSize}::int`,
    );
    if (page.length) yield page;
    if (page.length < pageSize) return;
    after = Prisma.sql` AND ${jobAfterSql(q, page[page.length - 1])}`;
  }
}
