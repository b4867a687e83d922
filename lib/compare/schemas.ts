import { z } from "zod";

/** GET /compare: 2–4 jobs or 2–4 nodes (tasks), by id, comma-separated; the first is the baseline. */
export const MIN_COMPARE_ITEMS = 2;
export const MAX_COMPARE_ITEMS = 4;

const idList = (name: string) =>
  z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().regex(/^\d{1,18}$/, `${name} must be numeric ids`))
        .min(MIN_COMPARE_ITEMS, `${name} needs ${MIN_COMPARE_ITEMS} to ${MAX_COMPARE_ITEMS} ids`)
        .max(MAX_COMPARE_ITEMS, `${name} needs ${MIN_COMPARE_ITEMS} to ${MAX_COMPARE_ITEMS} ids`)
        .refine((ids) => new Set(ids).size === ids.length, `${name} must not repeat an id`),
    );

export const compareQuerySchema = z
  .object({ jobs: idList("jobs").optional(), tasks: idList("tasks").optional() })
  .refine((q) => (q.jobs === undefined) !== (q.tasks === undefined), {
    message: "Give either jobs or tasks (2 to 4 ids)",
    path: ["jobs"],
  });
export type CompareQuery = z.output<typeof compareQuerySchema>;

/**
 * Oldest first, ties by id: nodes that join together can share a creation time, and a
 * shared link must not depend on the order they were ticked in.
 */
export function oldestFirst(
  a: { id: string; created_at: string | null },
  b: { id: string; created_at: string | null },
) {
  const byTime = (a.created_at ?? "").localeCompare(b.created_at ?? "");
  return byTime || (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0);
}
