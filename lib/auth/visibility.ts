import { Prisma } from "../generated/prisma/client";
import type { Caller } from "./caller";
import { scopeOf, type Action } from "./permissions";

/**
 * The one place that turns the permission table (lib/auth/permissions.ts) into job filters:
 * which jobs a caller may see — a user their own, a customer admin their customer's, staff
 * and root admins all — or may act on in bulk (docs/api-contract.md). Soft-deleted jobs are
 * never visible. Every job query starts from this filter.
 */
export function jobVisibilityWhere(caller: Caller, action: Action = "read"): Prisma.JobWhereInput {
  const scope = scopeWhere(caller, action);
  return scope ? { deletedAt: null, ...scope } : { deletedAt: null, id: { in: [] } };
}

/** The customer/user part of a caller's scope for an action, for rows that carry customer_id and user_id; null: nothing. */
function scopeWhere(caller: Caller, action: Action = "read"): { customerId?: number; userId?: number } | null {
  const scope = scopeOf(caller.role, action);
  if (scope === "all") return {};
  if (scope === "customer") return { customerId: caller.customerId };
  if (scope === "own") return { customerId: caller.customerId, userId: caller.userId };
  return null;
}

/**
 * Tasks follow their job: visible exactly when the job is. Both the scope and the job's
 * liveness are read from the task's own copies of them (kept by triggers, migration
 * 20261130140000_task_job_live), so GET /tasks walks one partial index without joining jobs.
 */
export function taskVisibilityWhere(caller: Caller): Prisma.TaskWhereInput {
  return { jobLive: true, ...(scopeWhere(caller) ?? { id: { in: [] } }) };
}

/** The customer/user part of a caller's read scope as SQL conditions on the table aliased `alias`. */
function scopeSql(caller: Caller, alias: "j" | "c" | "t" | "s" | "w" | "n" | "m" | "r"): Prisma.Sql[] {
  const table = Prisma.raw(alias);
  const scope = scopeOf(caller.role, "read");
  if (scope === "all") return [];
  if (scope === "none") return [Prisma.sql`FALSE`];
  const customer = Prisma.sql`${table}.customer_id = ${caller.customerId}`;
  if (scope === "customer") return [customer];
  return [customer, Prisma.sql`${table}.user_id = ${caller.userId}`];
}

/**
 * Raw-SQL twin of jobVisibilityWhere for the few hand-written queries (alias "j"): a fragment
 * with its own parameters, to compose with Prisma.sql anywhere in a query.
 */
export function jobVisibilitySql(caller: Caller): Prisma.Sql {
  return Prisma.join([Prisma.sql`j.deleted_at IS NULL`, ...scopeSql(caller, "j")], " AND ");
}

/** Every job that is not deleted, whoever asks (the operator's metrics). */
export const allJobsSql = Prisma.sql`j.deleted_at IS NULL`;

/**
 * The same scopes over the live-job counters (job_counts, job_tag_counts, usage_counts; alias
 * "c"), which only ever hold live jobs: a customer admin's customer, a user's own jobs, or
 * everything. Also over tasks (alias "t"), which carry their job's customer and user, and
 * over job_search (alias "s") and its name words (job_name_words "w", job_name_tokens "n"),
 * which like the counters hold live jobs only.
 */
export function jobCountersVisibilitySql(caller: Caller, alias: "c" | "t" | "s" | "w" | "n" = "c"): Prisma.Sql {
  const scope = scopeSql(caller, alias);
  return scope.length ? Prisma.join(scope, " AND ") : Prisma.sql`TRUE`;
}

/**
 * The fleet roll-ups' rows a caller reads (machine_rollups alias "r", machine_rollup_counts
 * alias "c"): a user their own (customer, user_id) rows — machines that ran one of their jobs,
 * as of their own latest node — a customer admin their customer's "any owner" rows (user_id 0),
 * staff and root every customer's. `user_id = 0` is spelled as a literal: the cross-customer
 * indexes are partial on it.
 */
export function machineRollupVisibilitySql(caller: Caller, alias: "r" | "c"): Prisma.Sql {
  const scope = scopeSql(caller, alias);
  if (scopeOf(caller.role, "read") === "own") return Prisma.join(scope, " AND ");
  return Prisma.join([...scope, Prisma.sql`${Prisma.raw(alias)}.user_id = 0`], " AND ");
}

/**
 * The customer part of the caller's scope as a condition on machines (alias "m"), which have
 * no owner. It narrows nothing that machineRollupVisibilitySql does not — a machine's roll-up
 * rows are all in its own customer — but lets a query that starts from machines start from
 * the caller's customer's.
 */
export function machineCustomerSql(caller: Caller): Prisma.Sql {
  const [customer] = scopeSql(caller, "m");
  return customer ?? Prisma.sql`TRUE`;
}
