import type { Db } from "../db/client";
import { pagination } from "../api/pagination";
import type { Prisma } from "../generated/prisma/client";
import type { Caller } from "../auth/caller";
import { NotFoundError } from "../api/errors";
import { assertRootAdmin, userAdminWhere } from "./policy";
import type { ListUsersQuery } from "./schemas";
import { serializeCustomer, serializeUser } from "./serialize";

export async function listUsersFor(db: Db, caller: Caller, q: ListUsersQuery) {
  const and: Prisma.UserWhereInput[] = [userAdminWhere(caller)];
  if (q.customer_id) and.push({ customerId: q.customer_id });
  if (q.role) and.push({ role: q.role });
  if (q.active !== undefined) and.push({ active: q.active });
  if (q.q)
    and.push({
      OR: [{ email: { contains: q.q, mode: "insensitive" } }, { name: { contains: q.q, mode: "insensitive" } }],
    });
  const where = { AND: and };
  const [total, users] = await Promise.all([
    db.user.count({ where }),
    db.user.findMany({
      where,
      include: { customer: { select: { name: true } } },
      orderBy: [{ customerId: "asc" }, { email: "asc" }],
      skip: (q.page - 1) * q.per_page,
      take: q.per_page,
    }),
  ]);
  return {
    results: users.map(serializeUser),
    pagination: pagination(total, q.page, q.per_page),
  };
}

/** A user the admin may manage, or 404: accounts of other customers are indistinguishable from missing ones. */
export async function findManagedUser(db: Db, caller: Caller, id: number) {
  const user = await db.user.findFirst({
    where: { AND: [userAdminWhere(caller), { id }] },
    include: { customer: { select: { name: true } } },
  });
  if (!user) throw new NotFoundError(`User with id ${id} not found`);
  return user;
}

export async function listCustomers(db: Db, caller: Caller) {
  assertRootAdmin(caller);
  const customers = await db.customer.findMany({
    orderBy: { name: "asc" },
    include: { _count: { select: { users: true, jobs: { where: { deletedAt: null } } } } },
  });
  return { results: customers.map(serializeCustomer) };
}
