import { z } from "../validation/zod";
import { ADMIN_HEALTH_STATES, HEALTH_STATES } from "./states";

/** Machine health and GPU price payloads, shared by the handlers, OpenAPI and the fleet page. */

/** POST /machines/{machine_id}/health: quarantine or clear a machine, saying why. */
export const setMachineHealthSchema = z.object({
  state: z.enum(ADMIN_HEALTH_STATES, { message: `state must be one of ${ADMIN_HEALTH_STATES.join(", ")}` }),
  note: z.string().trim().min(1, "note must not be empty").max(500, "note must be at most 500 characters"),
});
export type SetMachineHealthInput = z.output<typeof setMachineHealthSchema>;

export const DRAIN_LIST_FORMATS = ["text", "slurm", "kubernetes"] as const;
export type DrainListFormat = (typeof DRAIN_LIST_FORMATS)[number];

/** GET /machines/drain-list: the quarantined hosts as a list, Slurm drain commands or kubectl cordon + taint. */
export const drainListQuerySchema = z.object({
  format: z
    .enum(DRAIN_LIST_FORMATS, { message: `format must be one of ${DRAIN_LIST_FORMATS.join(", ")}` })
    .default("text"),
});

export const healthStateFilterSchema = z.enum(HEALTH_STATES, {
  message: `health_state must be one of ${HEALTH_STATES.join(", ")}`,
});

const gpuPriceSchema = z.object({
  gpu_model: z.string().trim().min(1, "gpu_model must not be empty").max(100),
  price_per_gpu_hour: z
    .number({ message: "price_per_gpu_hour must be a number" })
    .positive("price_per_gpu_hour must be greater than 0")
    .max(100_000, "price_per_gpu_hour must be at most 100000"),
});

/** PUT /gpu-prices: the customer's whole price list (a model left out has no price). */
export const putGpuPricesSchema = z.object({
  prices: z
    .array(gpuPriceSchema)
    .max(200, "at most 200 GPU models")
    .refine((ps) => new Set(ps.map((p) => p.gpu_model)).size === ps.length, "each gpu_model at most once"),
});
export type PutGpuPricesInput = z.output<typeof putGpuPricesSchema>;
