import { z } from "../validation/zod";
import { MAX_PER_PAGE } from "../jobs/limits";
import { queryBool, queryInt } from "../jobs/schemas";

/**
 * The Tasks API payloads (GET /tasks, GET /tasks/{task_id}/results), defined once for the
 * handlers and the OpenAPI document. Parameter names and defaults are SiliconMark's.
 */

export const TASK_STATES = ["running", "completed", "failed", "aborted", "rejected"] as const;
export const TASK_SORT_FIELDS = ["created_at"] as const;

const idParam = (name: string) =>
  z
    .string()
    .regex(/^\d{1,19}$/, `${name} must be a positive integer`)
    .transform(BigInt)
    .refine((v) => v >= 1n && v <= 9223372036854775807n, {
      message: `${name} must be between 1 and 9223372036854775807`,
    });

export const listTasksQuerySchema = z.object({
  page: queryInt(1, 100_000, "page").default(1),
  per_page: queryInt(1, MAX_PER_PAGE, "per_page").default(20),
  sort_by: z
    .enum(TASK_SORT_FIELDS, { message: `sort_by must be one of ${TASK_SORT_FIELDS.join(", ")}` })
    .default("created_at"),
  sort_order: z.enum(["asc", "desc"], { message: "sort_order must be asc or desc" }).default("desc"),
  job_id: idParam("job_id").optional(),
  state: z.enum(TASK_STATES, { message: `state must be one of ${TASK_STATES.join(", ")}` }).optional(),
  machine_ip: z.string().trim().min(1).max(64).optional(),
  machine_uuid: z.string().trim().min(1).max(128).optional(),
  include_results: queryBool("include_results")
    .default(false)
    .describe("Adds benchmark_results, keyed by benchmark id"),
});
export type ListTasksQuery = z.output<typeof listTasksQuerySchema>;

export const taskResultsQuerySchema = z.object({
  // Singular, as SiliconMark spells it here (the job results endpoint says include_display_names).
  include_display_name: queryBool("include_display_name").default(false),
});

export const taskIdPathSchema = z.object({ task_id: idParam("task_id") });
