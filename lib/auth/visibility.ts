import { Prisma } from "../generated/prisma/client";
import type { Caller } from "./caller";
import { seesAllCustomers } from "./roles";

/**
 * The one place that decides which jobs a caller may see (docs/api-contract.md): a user their own,
 * a customer admin their customer's, staff and root admins all. Soft-deleted jobs are
 * never visible. Every job query starts from this filter.
 */
export function jobVisibilityWhere(caller: Caller): Prisma.JobWhereInput {
  return { deletedAt: null, ...scopeWhere(caller) };
}

/** The customer/user part of a caller's scope, for rows that carry customer_id and user_id. */
function scopeWhere(caller: Caller): { customerId?: number; userId?: number } {
  if (seesAllCustomers(caller.role)) return {};
  if (caller.role === "customer_admin") return { customerId: caller.customerId };
  return { customerId: caller.customerId, userId: caller.userId };
}

/**
 * Tasks follow their job: visible exactly when the job is. The scope is read from the task's
 * own copies of the job's customer and user (indexed for GET /tasks); the job's soft delete
 * still hides its tasks.
 */
export function taskVisibilityWhere(caller: Caller): Prisma.TaskWhereInput {
  return { job: { deletedAt: null }, ...scopeWhere(caller) };
}

/** The customer/user part of a caller's scope as SQL conditions on the table aliased `alias`. */
function scopeSql(caller: Caller, alias: "j" | "c"): Prisma.Sql[] {
  const table = Prisma.raw(alias);
  if (seesAllCustomers(caller.role)) return [];
  const customer = Prisma.sql`${table}.customer_id = ${caller.customerId}`;
  if (caller.role === "customer_admin") return [customer];
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
 * The same scopes over the live-job counters (job_counts, job_tag_counts; alias "c"), which
 * only ever hold live jobs: a customer admin's customer, a user's own jobs, or everything.
 */
export function jobCountersVisibilitySql(caller: Caller): Prisma.Sql {
  const scope = scopeSql(caller, "c");
  return scope.length ? Prisma.join(scope, " AND ") : Prisma.sql`TRUE`;
}
