import { z } from "../validation/zod";
import { MAX_COMPARE_ITEMS, MIN_COMPARE_ITEMS } from "./selection";

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

/** GET /compare: 2–4 jobs or 2–4 nodes (tasks), by id, comma-separated; the first is the baseline. */
export const compareQuerySchema = z
  .object({ jobs: idList("jobs").optional(), tasks: idList("tasks").optional() })
  .refine((q) => (q.jobs === undefined) !== (q.tasks === undefined), {
    message: "Give either jobs or tasks (2 to 4 ids)",
    path: ["jobs"],
  });
export type CompareQuery = z.output<typeof compareQuerySchema>;
