import { z } from "../validation/zod";

/** The largest value of PostgreSQL's bigint: ids above it cannot exist (and would fail the query). */
export const MAX_BIGINT_ID = 9223372036854775807n;

/**
 * A bigint id given as a decimal string (path parameters, query strings): 1..2^63-1, so a
 * huge id is a 400 naming the parameter rather than a database error.
 */
export function bigintIdString(name: string) {
  return z
    .string()
    .regex(/^\d{1,19}$/, `${name} must be a positive integer`)
    .transform((v, ctx) => {
      const id = BigInt(v);
      if (id < 1n || id > MAX_BIGINT_ID) {
        ctx.addIssue({ code: "custom", message: `${name} must be between 1 and ${MAX_BIGINT_ID}` });
        return z.NEVER;
      }
      return id;
    });
}

/** A bigint id in a JSON body: a JSON integer or a numeric string (ids are serialised as strings). */
export function bigintId(name: string) {
  return z.union([z.int().transform(String), z.string()]).pipe(bigintIdString(name));
}
