import { Prisma } from "../generated/prisma/client";
import type { Caller } from "../auth/caller";
import { machineRollupVisibilitySql } from "../auth/visibility";
import type { ListMachinesQuery } from "./schemas";

/**
 * Reads of the fleet roll-ups (migration 20261130080000_machine_rollups): per machine and
 * scope, its latest visible node's task id, last sign of life, verdict and visible node count,
 * so a page of GET /machines or the heatmap is an index scan of the caller's rows, never a probe
 * per machine. Only rows with a machine row are listed (registration writes both at once).
 */

/** The machine_rollups rows (alias r) a caller may list, narrowed by the list's roll-up filters. */
export function rollupWhere(caller: Caller, q: Pick<ListMachinesQuery, "gpu_model" | "status">): Prisma.Sql {
  const conditions = [machineRollupVisibilitySql(caller, "r"), Prisma.sql`r.machine_id IS NOT NULL`];
  if (q.gpu_model) conditions.push(Prisma.sql`r.gpu_model = ${q.gpu_model}`);
  // The rank leads the status index; the status itself tells 'ok' from other rank-3 verdicts.
  if (q.status)
    conditions.push(Prisma.sql`r.status_rank = machine_status_rank(${q.status}) AND r.status = ${q.status}`);
  return Prisma.join(conditions, " AND ");
}

const PAGE_COLUMNS = Prisma.sql`r.machine_id, r.latest_task_id, r.last_seen_at, r.status, r.status_rank, r.sort_name, r.node_count`;
const STATUS_RANKS = [0, 1, 2, 3];

/**
 * The list's order over roll-up rows aliased `alias`: status ranks problems first, hostname is
 * alphabetical (the machine's uuid when it has none), last seen newest first; within one status
 * or name the most recently seen come first; machine ids break ties so pages are stable.
 */
export function rollupOrderSql(q: ListMachinesQuery, alias: string): Prisma.Sql {
  const r = Prisma.raw(alias);
  const natural = q.sort_by === "last_seen_at" ? "desc" : "asc";
  const dir = Prisma.raw((q.sort_order ?? natural) === "asc" ? "ASC" : "DESC");
  if (q.sort_by === "last_seen_at") return Prisma.sql`${r}.last_seen_at ${dir}, ${r}.machine_id ${dir}`;
  const key = Prisma.raw(q.sort_by === "status" ? "status_rank" : "sort_name");
  return Prisma.sql`${r}.${key} ${dir}, ${r}.last_seen_at DESC, ${r}.machine_id DESC`;
}

/**
 * One page of roll-up rows in the list's order. `from` is `machine_rollups r`, joined to
 * machines when a machine column filters.
 */
export function rollupPageSql(from: Prisma.Sql, where: Prisma.Sql, q: ListMachinesQuery): Prisma.Sql {
  const offset = (q.page - 1) * q.per_page;
  if (q.sort_by !== "status" || q.status) {
    return Prisma.sql`SELECT ${PAGE_COLUMNS} FROM ${from} WHERE ${where}
      ORDER BY ${rollupOrderSql(q, "r")} LIMIT ${q.per_page} OFFSET ${offset}`;
  }
  // Each status rank's rows are an index range already newest first, so the page is the first
  // rows of four short scans (one index serves both directions).
  const byRank = STATUS_RANKS.map(
    (rank) => Prisma.sql`(SELECT ${PAGE_COLUMNS} FROM ${from} WHERE ${where} AND r.status_rank = ${rank}
      ORDER BY r.last_seen_at DESC, r.machine_id DESC LIMIT ${offset + q.per_page})`,
  );
  return Prisma.sql`SELECT * FROM (${Prisma.join(byRank, " UNION ALL ")}) r
    ORDER BY ${rollupOrderSql(q, "r")} LIMIT ${q.per_page} OFFSET ${offset}`;
}

/** The listed machines the caller may see, from the counts: per GPU model and status, a few rows per scope. */
export function rollupTotalSql(caller: Caller, q: Pick<ListMachinesQuery, "gpu_model" | "status">): Prisma.Sql {
  const conditions = [machineRollupVisibilitySql(caller, "c")];
  if (q.gpu_model) conditions.push(Prisma.sql`c.gpu_model = ${q.gpu_model}`);
  if (q.status) conditions.push(Prisma.sql`c.status = ${q.status}`);
  return Prisma.sql`SELECT COALESCE(sum(c.machines), 0)::int FROM machine_rollup_counts c WHERE ${Prisma.join(conditions, " AND ")}`;
}

/** The GPU models of the machines the caller may see, with how many of each ('' is the counts' "none"). */
export function rollupGpuModelsSql(caller: Caller, gpuModel?: string): Prisma.Sql {
  const model = gpuModel ? Prisma.sql` AND c.gpu_model = ${gpuModel}` : Prisma.empty;
  return Prisma.sql`SELECT c.gpu_model, sum(c.machines)::int AS machines FROM machine_rollup_counts c
    WHERE ${machineRollupVisibilitySql(caller, "c")} AND c.gpu_model <> ''${model}
    GROUP BY c.gpu_model HAVING sum(c.machines) > 0`;
}
