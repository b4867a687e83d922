import { z } from "../validation/zod";
import { queryInt } from "../jobs/schemas";
import { healthStateFilterSchema } from "../health/schemas";

/** Fleet endpoints' query strings and path parameters, shared by the handlers and the fleet page. */

export const MACHINE_STATUSES = ["ok", "underperforming", "regressed", "unknown"] as const;
export type MachineStatus = (typeof MACHINE_STATUSES)[number];

/**
 * Fleet list orders. `status` puts problems first (underperforming, then unknown, then ok;
 * `sort_order=desc` reverses it); `hostname` is alphabetical; `last_seen_at` newest first.
 */
export const MACHINE_SORT_FIELDS = ["last_seen_at", "status", "hostname"] as const;
export type MachineSortField = (typeof MACHINE_SORT_FIELDS)[number];

export const listMachinesQuerySchema = z.object({
  page: queryInt(1, 100_000, "page").default(1),
  per_page: queryInt(1, 300, "per_page").default(50),
  gpu_model: z.string().trim().min(1).max(100).optional(),
  status: z.enum(MACHINE_STATUSES, { message: `status must be one of ${MACHINE_STATUSES.join(", ")}` }).optional(),
  /** healthy | suspect | quarantined | cleared (docs/api-contract.md, "Machine health"). */
  health_state: healthStateFilterSchema.optional(),
  sort_by: z
    .enum(MACHINE_SORT_FIELDS, { message: `sort_by must be one of ${MACHINE_SORT_FIELDS.join(", ")}` })
    .default("last_seen_at"),
  /** Unset: each field's natural order (newest first, problems first, A to Z). */
  sort_order: z.enum(["asc", "desc"], { message: "sort_order must be asc or desc" }).optional(),
});
export type ListMachinesQuery = z.output<typeof listMachinesQuerySchema>;

export const machineHistoryQuerySchema = z.object({
  limit: queryInt(1, 500, "limit").default(100),
});
export type MachineHistoryQuery = z.output<typeof machineHistoryQuerySchema>;

export const machineIdParamSchema = z.object({
  machine_id: z
    .string()
    .regex(/^\d{1,9}$/, "machine_id must be a positive integer")
    .transform(Number),
});

/** POST /machines/{id}/annotations: a note on the machine's history; resets_baseline restarts its own-history test. */
export const createAnnotationSchema = z.object({
  text: z.string().trim().min(1, "text must not be empty").max(500, "text must be at most 500 characters"),
  resets_baseline: z.boolean().default(false),
});
export type CreateAnnotationInput = z.output<typeof createAnnotationSchema>;

/**
 * GET /machines/heatmap: one GPU model's machines (or every model's), the most recently seen
 * `per_model` of each. 50 by default: a page a person reads, and at 1M jobs 200 per model (1,200
 * machines for six models) cost more than the read budget (docs/benchmark-history.md).
 */
export const heatmapQuerySchema = z.object({
  gpu_model: z.string().trim().min(1).max(100).optional(),
  per_model: queryInt(1, 500, "per_model").default(50),
});
export type HeatmapQuery = z.output<typeof heatmapQuerySchema>;
