import { Prisma } from "../generated/prisma/client";
import type { Caller } from "../auth/caller";
import { jobVisibilitySql } from "../auth/visibility";
import type { CountFilters } from "./counts";
import type { JobSortField } from "./limits";
import type { ListJobsQuery } from "./schemas";
import type { JobListRow } from "./serialize";
import { fieldOf } from "../db/columns";

/**
 * GET /jobs filters as SQL on the jobs table (alias "j"), always inside the caller's
 * visibility: the one translation of the list's filters, for its page, its count when no
 * counter holds the filters, the stats badge and the exports. Written by hand because each
 * statement Prisma builds costs 0.3–0.5 ms of CPU on the list's hot path
 * (docs/performance-budget.md). Each parameter carries its type: through the pool they go
 * untyped (lib/db/client.ts directQuery).
 */
export function jobFilterSql(caller: Caller, q: CountFilters): Prisma.Sql {
  const and = [jobVisibilitySql(caller)];
  if (q.state) and.push(Prisma.sql`j.state = ${q.state}::text`);
  // As Prisma's insensitive `contains`: ILIKE, with `%` and `_` in the name as given.
  if (q.name) and.push(Prisma.sql`j.name ILIKE ('%' || ${q.name}::text || '%')`);
  if (q.benchmark_id) and.push(Prisma.sql`j.benchmark_ids @> ARRAY[${q.benchmark_id}::text]`);
  if (q.tags?.length) and.push(Prisma.sql`j.tags @> ${q.tags}::text[]`);
  if (q.created_after) and.push(Prisma.sql`j.created_at > ${q.created_after}::timestamptz`);
  if (q.created_before) and.push(Prisma.sql`j.created_at < ${q.created_before}::timestamptz`);
  if (q.node_count_min !== undefined) and.push(Prisma.sql`j.node_count >= ${q.node_count_min}::int`);
  if (q.node_count_max !== undefined) and.push(Prisma.sql`j.node_count <= ${q.node_count_max}::int`);
  if (q.has_performance_data !== undefined)
    and.push(Prisma.sql`j.performance_status ${Prisma.raw(q.has_performance_data ? "<>" : "=")} 'unknown'`);
  if (q.performance_status) and.push(Prisma.sql`j.performance_status = ${q.performance_status}::text`);
  return Prisma.join(and, " AND ");
}

/**
 * Each sort's SQL type (for a cursor's parameter) and whether it may be null (sorted last).
 * The sort fields are named as their columns (prisma/schema.prisma), so a field is its column.
 */
const SORTS: Record<JobSortField, { type: string; nullable?: true }> = {
  created_at: { type: "timestamptz" },
  started_at: { type: "timestamptz", nullable: true },
  ended_at: { type: "timestamptz", nullable: true },
  expires_at: { type: "timestamptz" },
  name: { type: "text" },
  state: { type: "text" },
  node_count: { type: "int" },
  current_nodes: { type: "int" },
};

/** The list's order on table `alias`, with the id as tie-breaker so pages never overlap or skip. */
export function jobOrderSql(q: Pick<ListJobsQuery, "sort_by" | "sort_order">, alias = "j"): Prisma.Sql {
  const dir = q.sort_order === "asc" ? "ASC" : "DESC";
  const nulls = SORTS[q.sort_by].nullable ? " NULLS LAST" : "";
  return Prisma.raw(`${alias}.${q.sort_by} ${dir}${nulls}, ${alias}.id ${dir}`);
}

/**
 * Rows after `last` in that order (keyset): an export's next page without counting through
 * the ones before. Nulls sort last, so after a null only nulls with a further id remain.
 */
export function jobAfterSql(q: Pick<ListJobsQuery, "sort_by" | "sort_order">, last: JobListRow): Prisma.Sql {
  const sort = SORTS[q.sort_by];
  const value = last[fieldOf(q.sort_by) as keyof JobListRow];
  const column = Prisma.raw(`j.${q.sort_by}`);
  const op = Prisma.raw(q.sort_order === "asc" ? ">" : "<");
  const id = Prisma.sql`${last.id.toString()}::bigint`;
  if (value === null) return Prisma.sql`(${column} IS NULL AND j.id ${op} ${id})`;
  const after = Prisma.sql`(${column}, j.id) ${op} (${value}::${Prisma.raw(sort.type)}, ${id})`;
  return sort.nullable ? Prisma.sql`(${column} IS NULL OR ${after})` : after;
}
