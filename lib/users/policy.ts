import type { Prisma } from "../generated/prisma/client";
import type { Caller } from "../auth/caller";
import { ROLES, type Role } from "../auth/roles";
import { ForbiddenError } from "../api/errors";
import { assertMay, scopeOf } from "../auth/permissions";

/**
 * Who administers which accounts, from the permission table's `manage_users` and
 * `manage_customers` columns: a customer admin their own customer's users, with the roles
 * user and customer_admin only; a root admin every customer and role. Staff see all jobs but
 * manage no accounts.
 */
export function assertUserAdmin(caller: Caller): void {
  assertMay(caller, "manage_users", "Only customer admins and root admins manage users");
}

export function assertRootAdmin(caller: Caller): void {
  assertMay(caller, "manage_customers", "Only root admins manage customers");
}

/** The users an admin may see and change. */
export function userAdminWhere(caller: Caller): Prisma.UserWhereInput {
  assertUserAdmin(caller);
  return scopeOf(caller.role, "manage_users") === "all" ? {} : { customerId: caller.customerId };
}

export function assignableRoles(caller: Caller): readonly Role[] {
  return caller.role === "root_admin" ? ROLES : ["user", "customer_admin"];
}

export function assertAssignable(caller: Caller, role: Role, what = "assign"): void {
  if (!assignableRoles(caller).includes(role)) {
    throw new ForbiddenError(`You cannot ${what} the role ${role}; you may use ${assignableRoles(caller).join(", ")}`);
  }
}
