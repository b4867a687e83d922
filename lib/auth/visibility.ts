import type { Prisma } from "../generated/prisma/client";
import type { Caller } from "./caller";
import { scopeOf, type Action } from "./permissions";

/**
 * The one place that turns the permission table (lib/auth/permissions.ts) into job filters:
 * which jobs a caller may see — a user their own, a customer admin their customer's, staff
 * and root admins all — or may act on in bulk. Soft-deleted jobs are never visible. Every job
 * query starts from this filter.
 */
export function jobVisibilityWhere(caller: Caller, action: Action = "read"): Prisma.JobWhereInput {
  const live: Prisma.JobWhereInput = { deletedAt: null };
  const scope = scopeOf(caller.role, action);
  if (scope === "all") return live;
  if (scope === "customer") return { ...live, customerId: caller.customerId };
  if (scope === "own") return { ...live, customerId: caller.customerId, userId: caller.userId };
  return { ...live, id: { in: [] } };
}

/** The customer/user part of a caller's read scope as SQL conditions on the table aliased `alias`. */
function scopeSql(caller: Caller, alias: string): { conditions: string[]; params: unknown[] } {
  const scope = scopeOf(caller.role, "read");
  if (scope === "all") return { conditions: [], params: [] };
  if (scope === "customer") return { conditions: [`${alias}.customer_id = $1`], params: [caller.customerId] };
  return { conditions: [`${alias}.customer_id = $1`, `${alias}.user_id = $2`], params: [caller.customerId, caller.userId] };
}

/** Raw-SQL twin of jobVisibilityWhere for the few hand-written queries (alias "j"). */
export function jobVisibilitySql(caller: Caller): { sql: string; params: unknown[] } {
  const scope = scopeSql(caller, "j");
  return { sql: ["j.deleted_at IS NULL", ...scope.conditions].join(" AND "), params: scope.params };
}

/**
 * The same scopes over the live-job counters (job_counts, job_tag_counts; alias "c"), which
 * only ever hold live jobs: a customer admin's customer, a user's own jobs, or everything.
 */
export function jobCountersVisibilitySql(caller: Caller): { sql: string; params: unknown[] } {
  const scope = scopeSql(caller, "c");
  return { sql: scope.conditions.join(" AND ") || "TRUE", params: scope.params };
}
