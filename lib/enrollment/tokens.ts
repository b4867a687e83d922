import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { assertMay, scopeOf } from "../auth/permissions";
import { ForbiddenError, NotFoundError } from "../api/errors";
import { clock } from "../util/clock";
import type { CreateEnrollmentTokenInput, ListEnrollmentTokensQuery } from "./schemas";
import { ENROLLMENT_TOKEN_PREFIX, hashSecret, newSecret } from "./secrets";

const DENIED = "Only customer admins and root admins manage enrolled machines";

export function assertFleetAdmin(caller: Caller): void {
  assertMay(caller, "manage_fleet", DENIED);
}

/** The customers whose fleet the caller administers: their own, or (root admins) any. */
export function fleetAdminCustomerWhere(caller: Caller): { customerId?: number } {
  assertFleetAdmin(caller);
  return scopeOf(caller.role, "manage_fleet") === "all" ? {} : { customerId: caller.customerId };
}

/** The customer a new fleet object (token, schedule) belongs to: a root admin may name any. */
export async function targetCustomerId(db: Db, caller: Caller, requested: number | undefined): Promise<number> {
  assertFleetAdmin(caller);
  if (requested === undefined || requested === caller.customerId) return caller.customerId;
  if (scopeOf(caller.role, "manage_fleet") !== "all")
    throw new ForbiddenError("Customer admins manage only their own customer's machines");
  if (!(await db.customer.findUnique({ where: { id: requested } })))
    throw new NotFoundError(`Customer with id ${requested} not found`);
  return requested;
}

type TokenRow = {
  id: number;
  customerId: number;
  name: string;
  tokenPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  customer?: { name: string };
  creator?: { email: string };
  _count?: { machines: number };
};

export function serializeEnrollmentToken(t: TokenRow) {
  return {
    id: t.id,
    name: t.name,
    customer_id: t.customerId,
    customer: t.customer?.name ?? null,
    created_by: t.creator?.email ?? null,
    token_prefix: t.tokenPrefix,
    created_at: t.createdAt.toISOString(),
    last_used_at: t.lastUsedAt?.toISOString() ?? null,
    revoked_at: t.revokedAt?.toISOString() ?? null,
    state: t.revokedAt ? "revoked" : "active",
    machine_count: t._count?.machines ?? 0,
  };
}

const withNames = {
  customer: { select: { name: true } },
  creator: { select: { email: true } },
  _count: { select: { machines: true } },
} as const;

/** Creates a token; the answer is the only time the secret is shown (only its hash is kept). */
export async function createEnrollmentToken(db: Db, caller: Caller, input: CreateEnrollmentTokenInput) {
  const customerId = await targetCustomerId(db, caller, input.customer_id);
  const secret = newSecret(ENROLLMENT_TOKEN_PREFIX);
  const row = await db.enrollmentToken.create({
    data: {
      customerId,
      createdBy: caller.userId,
      name: input.name,
      tokenHash: hashSecret(secret),
      tokenPrefix: secret.slice(0, ENROLLMENT_TOKEN_PREFIX.length + 6),
      createdAt: clock.now(),
    },
    include: withNames,
  });
  return { ...serializeEnrollmentToken(row), token: secret };
}

export async function listEnrollmentTokens(db: Db, caller: Caller, q: ListEnrollmentTokensQuery) {
  const scope = fleetAdminCustomerWhere(caller);
  if (q.customer_id !== undefined && scope.customerId !== undefined && q.customer_id !== scope.customerId)
    throw new ForbiddenError("Customer admins see only their own customer's enrollment tokens");
  const rows = await db.enrollmentToken.findMany({
    where: { ...scope, ...(q.customer_id !== undefined ? { customerId: q.customer_id } : {}) },
    include: withNames,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return { results: rows.map(serializeEnrollmentToken) };
}

/**
 * Revokes a token: no machine can enroll with it any more. Machines it already enrolled keep
 * their own credential and stay connected; removing a machine's enrollment
 * (DELETE /machines/{id}/enrollment) disconnects one.
 */
export async function revokeEnrollmentToken(db: Db, caller: Caller, id: number) {
  const token = await db.enrollmentToken.findFirst({ where: { id, ...fleetAdminCustomerWhere(caller) } });
  if (!token) throw new NotFoundError(`Enrollment token with id ${id} not found`);
  // Revoking twice keeps the first revocation time (DELETE is idempotent).
  const row = await db.enrollmentToken.update({
    where: { id },
    data: { revokedAt: token.revokedAt ?? clock.now() },
    include: withNames,
  });
  return serializeEnrollmentToken(row);
}
