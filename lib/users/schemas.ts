import { z } from "../validation/zod";
import { ROLES } from "../auth/roles";
import { MIN_PASSWORD_LENGTH } from "../auth/password-policy";
import { queryBool, queryInt } from "../jobs/schemas";

/** User and customer administration payloads: the handlers and the admin page validate with these. */

const roleSchema = z.enum(ROLES, { message: `role must be one of ${ROLES.join(", ")}` });
const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, "Password must be at most 200 characters");
const userNameSchema = z.string().trim().max(100, "Name must be at most 100 characters");
// Customer ids are PostgreSQL integers: a larger one can match nothing (and would fail the query).
const customerIdSchema = z
  .int("customer_id must be an integer")
  .min(1, "customer_id must be positive")
  .max(2_147_483_647, "customer_id must be <= 2147483647");

export const createUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address")),
  name: userNameSchema.optional(),
  role: roleSchema.default("user"),
  password: passwordSchema,
  /** Required for root admins; customer admins may omit it (their own customer). */
  customer_id: customerIdSchema.optional(),
});
export type CreateUserRequest = z.output<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    name: userNameSchema.nullable().optional(),
    role: roleSchema.optional(),
    active: z.boolean("active must be true or false").optional(),
    /** Resets the user's password. */
    password: passwordSchema.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "Nothing to update: give name, role, active or password" });
export type UpdateUserRequest = z.output<typeof updateUserSchema>;

export const listUsersQuerySchema = z.object({
  page: queryInt(1, 100_000, "page").default(1),
  per_page: queryInt(1, 300, "per_page").default(100),
  customer_id: queryInt(1, 2_147_483_647, "customer_id").optional(),
  role: roleSchema.optional(),
  active: queryBool("active").optional(),
  q: z.string().trim().max(100).optional(),
});
export type ListUsersQuery = z.output<typeof listUsersQuerySchema>;

export const userIdParamSchema = z.object({
  user_id: z
    .string()
    .regex(/^\d{1,9}$/, "user_id must be a positive integer")
    .transform(Number),
});

export const createCustomerSchema = z.object({
  name: z.string().trim().min(1, "Name must not be empty").max(100, "Name must be at most 100 characters"),
});
