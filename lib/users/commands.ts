import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { isRole } from "../auth/roles";
import { forgetCaller } from "../auth/caller-cache";
import { insertUser, prepareNewUser } from "../auth/users";
import { hashPassword } from "../auth/passwords";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../api/errors";
import { assertAssignable, assertRootAdmin, assertUserAdmin } from "./policy";
import { findManagedUser } from "./queries";
import type { CreateUserRequest, UpdateUserRequest } from "./schemas";
import { serializeCustomer, serializeUser } from "./serialize";

/** Creates an account: customer admins in their own customer only, root admins in any. */
export async function createManagedUser(db: Db, caller: Caller, input: CreateUserRequest) {
  assertUserAdmin(caller);
  assertAssignable(caller, input.role, "create users with");
  let customerId = input.customer_id;
  if (caller.role === "customer_admin") {
    if (customerId !== undefined && customerId !== caller.customerId) {
      throw new ForbiddenError("Customer admins create users only in their own customer");
    }
    customerId = caller.customerId;
  }
  if (customerId === undefined)
    throw new ValidationError("customer_id: required", [{ field: "customer_id", message: "required" }]);
  if (!(await db.customer.findUnique({ where: { id: customerId } })))
    throw new NotFoundError(`Customer with id ${customerId} not found`);
  const user = await insertUser(db, await prepareNewUser(db, input), customerId);
  return serializeUser(user);
}

/**
 * Changes name, role, active flag or password. An admin cannot demote or deactivate
 * themself (so a customer never loses its last admin by a slip), and a customer admin
 * cannot touch accounts holding roles it may not assign (staff, root admins).
 */
export async function updateManagedUser(db: Db, caller: Caller, id: number, input: UpdateUserRequest) {
  const target = await findManagedUser(db, caller, id);
  if (isRole(target.role)) assertAssignable(caller, target.role, "manage users with");
  if (input.role !== undefined) assertAssignable(caller, input.role);
  if (target.id === caller.userId) {
    if (input.active === false) throw new ValidationError("You cannot deactivate your own account");
    if (input.role !== undefined && input.role !== target.role)
      throw new ValidationError("You cannot change your own role");
  }
  const user = await db.user.update({
    where: { id: target.id },
    data: {
      ...(input.name !== undefined ? { name: input.name?.trim() || null } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      ...(input.password !== undefined ? { passwordHash: await hashPassword(input.password) } : {}),
    },
    include: { customer: { select: { name: true } } },
  });
  // This instance applies the change at once; others within CALLER_CACHE_TTL_MS.
  forgetCaller(user.id);
  return serializeUser(user);
}

export async function createCustomer(db: Db, caller: Caller, name: string) {
  assertRootAdmin(caller);
  if (await db.customer.findUnique({ where: { name } })) throw new ConflictError(`Customer '${name}' already exists`);
  try {
    return serializeCustomer(await db.customer.create({ data: { name } }));
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw new ConflictError(`Customer '${name}' already exists`);
    throw err;
  }
}
