import type { Caller } from "./caller";
import type { Role } from "./roles";
import { ForbiddenError, JobNotFoundError } from "../api/errors";

/**
 * The one permission table: for each role and action, which jobs (or accounts) it applies to,
 * by their relation to the caller — `own` (the caller created the job), `customer` (another
 * account of the caller's customer) or `other` (another customer). Job visibility
 * (lib/auth/visibility.ts), every job command, bulk delete and account administration read it;
 * README "Security" shows it as a table, and test/permissions.test.ts walks every cell.
 *
 * Staff see everything and administer nothing: beyond reading, they act only on the jobs they
 * created themselves. Root admins administer accounts and customers everywhere and clear old
 * jobs of any customer (bulk delete), but they rename, cancel and delete single jobs only within
 * their own customer, like a customer admin: a platform operator does not edit a tenant's work.
 * `manage_fleet` covers enrollment tokens, enrolled machines (labels, removal), schedules,
 * machine health (quarantine, clear) and GPU prices: a customer admin for their customer's,
 * a root admin for every customer's (docs/api-contract.md).
 */
export const ACTIONS = [
  "read",
  "update",
  "cancel",
  "delete",
  "bulk_delete",
  "manage_users",
  "manage_customers",
  "manage_fleet",
  "manage_webhooks",
] as const;
export type Action = (typeof ACTIONS)[number];

export type Ownership = "own" | "customer" | "other";

const NONE: readonly Ownership[] = [];
const OWN: readonly Ownership[] = ["own"];
const CUSTOMER: readonly Ownership[] = ["own", "customer"];
const ALL: readonly Ownership[] = ["own", "customer", "other"];

export const PERMISSIONS: Readonly<Record<Role, Readonly<Record<Action, readonly Ownership[]>>>> = {
  user: {
    read: OWN,
    update: OWN,
    cancel: OWN,
    delete: OWN,
    bulk_delete: NONE,
    manage_users: NONE,
    manage_customers: NONE,
    manage_fleet: NONE,
    manage_webhooks: NONE,
  },
  customer_admin: {
    read: CUSTOMER,
    update: CUSTOMER,
    cancel: CUSTOMER,
    delete: CUSTOMER,
    bulk_delete: CUSTOMER,
    manage_users: CUSTOMER,
    manage_customers: NONE,
    manage_fleet: CUSTOMER,
    manage_webhooks: CUSTOMER,
  },
  staff: {
    read: ALL,
    update: OWN,
    cancel: OWN,
    delete: OWN,
    bulk_delete: NONE,
    manage_users: NONE,
    manage_customers: NONE,
    manage_fleet: NONE,
    manage_webhooks: NONE,
  },
  root_admin: {
    read: ALL,
    update: CUSTOMER,
    cancel: CUSTOMER,
    delete: CUSTOMER,
    bulk_delete: ALL,
    manage_users: ALL,
    manage_customers: ALL,
    manage_fleet: ALL,
    manage_webhooks: ALL,
  },
};

/** How widely an action reaches for a role: the filter its queries need. */
export type Scope = "none" | "own" | "customer" | "all";

export function scopeOf(role: Role, action: Action): Scope {
  const allowed = PERMISSIONS[role][action];
  if (allowed.includes("other")) return "all";
  if (allowed.includes("customer")) return "customer";
  return allowed.includes("own") ? "own" : "none";
}

export function allows(role: Role, action: Action, ownership: Ownership): boolean {
  return PERMISSIONS[role][action].includes(ownership);
}

export function ownershipOf(caller: Caller, owner: { customerId: number; userId: number | null }): Ownership {
  if (owner.customerId !== caller.customerId) return "other";
  return owner.userId === caller.userId ? "own" : "customer";
}

/** The commands on a single job that the dashboard offers as buttons. */
export const JOB_COMMANDS = ["update", "cancel", "delete"] as const satisfies readonly Action[];
export type JobCommand = (typeof JOB_COMMANDS)[number];

/**
 * Which of them this caller may run on this job, read from the table above: the job page
 * shows a button only where the command would not answer 403 (the job's state aside).
 */
export function jobCommandsFor(
  caller: Caller,
  job: { customerId: number; userId: number | null },
): Record<JobCommand, boolean> {
  const ownership = ownershipOf(caller, job);
  return Object.fromEntries(JOB_COMMANDS.map((a) => [a, allows(caller.role, a, ownership)])) as Record<
    JobCommand,
    boolean
  >;
}

/**
 * A job command's check. A job the caller cannot read does not exist for them (404, exactly
 * as GET answers); a job they can read but not change is 403.
 */
export function assertMayActOnJob(
  caller: Caller,
  action: Action,
  job: { id: bigint; customerId: number; userId: number | null },
): void {
  const ownership = ownershipOf(caller, job);
  if (!allows(caller.role, "read", ownership)) throw new JobNotFoundError(job.id);
  if (!allows(caller.role, action, ownership)) {
    throw new ForbiddenError(`Permission denied: a ${caller.role} may not ${action.replace("_", " ")} this job`);
  }
}

/** Role-level gate for actions that are not about one job (bulk delete, administration). */
export function assertMay(caller: Caller, action: Action, message?: string): void {
  if (scopeOf(caller.role, action) === "none")
    throw new ForbiddenError(message ?? `Permission denied: a ${caller.role} may not ${action.replace("_", " ")}`);
}
