import type { Db } from "../db/client";
import { ConflictError, ValidationError } from "../api/errors";
import { hashPassword, verifyPassword } from "./passwords";
import { isRole, ROLES, type Role } from "./roles";
import { MIN_PASSWORD_LENGTH } from "./password-policy";
import type { Caller } from "./caller";

export interface UserSummary {
  id: number;
  email: string;
  name: string | null;
  role: Role;
  active: boolean;
  customer: string;
  createdAt: Date;
}

export function toCaller(user: { id: number; customerId: number; role: string; email: string }): Caller {
  if (!isRole(user.role)) throw new Error(`User ${user.id} has unknown role '${user.role}'`);
  return { userId: user.id, customerId: user.customerId, role: user.role, email: user.email };
}

/** Checks email and password; null for unknown, deactivated or wrong. */
export async function authenticate(db: Db, email: string, password: string): Promise<Caller | null> {
  const user = await db.user.findUnique({ where: { email: normaliseEmail(email) } });
  // Compare against a dummy hash when the user is missing so timing does not reveal accounts.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !user.active || !ok) return null;
  return toCaller(user);
}
const DUMMY_HASH = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.jZ5FQm1zRz5b1Y0xXk5p6x1e1Ywa";

export async function findActiveCaller(db: Db, userId: number): Promise<Caller | null> {
  const user = await db.user.findUnique({ where: { id: userId } });
  return user && user.active ? toCaller(user) : null;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface CreateUserInput {
  email: string;
  password: string;
  role: Role;
  customer: string;
  name?: string;
}

export type NewUser = Omit<CreateUserInput, "customer">;

/**
 * Checks a new account (email shape, password length, role, unused email) and hashes its
 * password. Shared by the CLI (createUser) and the admin API (lib/users/commands.ts).
 */
export async function prepareNewUser(db: Db, input: NewUser) {
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new ValidationError(`'${input.email}' is not an email address`);
  if (input.password.length < MIN_PASSWORD_LENGTH)
    throw new ValidationError(`Password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (!isRole(input.role)) throw new ValidationError(`Role must be one of ${ROLES.join(", ")}`);
  if (await db.user.findUnique({ where: { email } })) throw duplicateEmail(email);
  return {
    email,
    role: input.role,
    name: input.name?.trim() || null,
    passwordHash: await hashPassword(input.password),
  };
}

const duplicateEmail = (email: string) => new ConflictError(`User with email '${email}' already exists`);

/** Inserts a prepared user; a concurrent insert of the same email is the same 409. */
export async function insertUser(db: Db, user: Awaited<ReturnType<typeof prepareNewUser>>, customerId: number) {
  try {
    return await db.user.create({ data: { ...user, customerId }, include: { customer: true } });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw duplicateEmail(user.email);
    throw err;
  }
}

/** Creates a user, and its customer when none has that name yet (the CLI and demo data). */
export async function createUser(db: Db, input: CreateUserInput): Promise<UserSummary> {
  const customerName = input.customer.trim();
  if (!customerName) throw new ValidationError("Customer name is required");
  const prepared = await prepareNewUser(db, input);
  const customer = await db.customer.upsert({
    where: { name: customerName },
    create: { name: customerName },
    update: {},
  });
  const user = await insertUser(db, prepared, customer.id);
  return { ...summary(user), customer: customer.name };
}

export async function listUsers(db: Db): Promise<UserSummary[]> {
  const users = await db.user.findMany({
    include: { customer: true },
    orderBy: [{ customerId: "asc" }, { email: "asc" }],
  });
  return users.map((u) => ({ ...summary(u), customer: u.customer.name }));
}

function summary(u: {
  id: number;
  email: string;
  name: string | null;
  role: string;
  active: boolean;
  createdAt: Date;
}) {
  return { id: u.id, email: u.email, name: u.name, role: u.role as Role, active: u.active, createdAt: u.createdAt };
}
