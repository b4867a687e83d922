import { z } from "zod";
import { bigintIdString } from "../api/ids";
import { DATE_RANGE_MESSAGE, inDateRange } from "../api/dates";

/** Agent protocol payloads (job-token endpoints under /jobs/current). */

export const MAX_LOG_LINES_PER_CALL = 1000;
export const MAX_LOG_LINE_LENGTH = 8192;

const isoDate = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 datetime" })
  .transform((s) => new Date(s))
  .refine(inDateRange, { message: DATE_RANGE_MESSAGE });

export const registerNodeSchema = z.object({
  machine_uuid: z.string().trim().min(1).max(128).regex(/^[\w.:-]+$/, "machine_uuid may contain letters, digits, . : _ -"),
  machine_ip: z.union([z.ipv4(), z.ipv6()]).optional().nullable(),
  hostname: z.string().max(255).optional(),
  gpu_model: z.string().trim().min(1).max(100),
  gpu_count: z.int().min(0).max(64),
  gpu_memory_gb: z.number().min(0).max(4096).optional(),
  inventory: z.record(z.string(), z.unknown()).optional(),
});
export type RegisterNodeInput = z.output<typeof registerNodeSchema>;

export const uploadResultSchema = z.object({
  benchmark_id: z.string().min(1).max(100),
  config: z.record(z.string(), z.unknown()).nullable().optional(),
  state: z.enum(["completed", "failed"]),
  started_at: isoDate.optional(),
  ended_at: isoDate.optional(),
  results: z.record(z.string(), z.unknown()).nullable().optional(),
  error_message: z.string().max(4096).nullable().optional(),
  /** Retried uploads with the same key are stored once. Also accepted as the Idempotency-Key header. */
  idempotency_key: z.string().min(1).max(200).optional(),
  attempt: z.int().min(1).max(10).optional(),
});
export type UploadResultInput = z.output<typeof uploadResultSchema>;

const logLine = z.union([
  z.string().max(MAX_LOG_LINE_LENGTH),
  z.object({ ts: isoDate.optional(), line: z.string().max(MAX_LOG_LINE_LENGTH) }),
]);
export const appendLogsSchema = z.object({
  lines: z.array(logLine).min(1).max(MAX_LOG_LINES_PER_CALL),
});

export const heartbeatSchema = z.object({
  progress: z
    .object({
      benchmark_id: z.string().max(100).optional(),
      step: z.int().min(0).max(1000).optional(),
      steps: z.int().min(0).max(1000).optional(),
      percent: z.number().min(0).max(100).optional(),
      message: z.string().max(500).optional(),
    })
    .optional(),
});

export const finishTaskSchema = z.object({
  state: z.enum(["completed", "failed"]),
  failed_message: z.string().max(4096).nullable().optional(),
});

export const taskIdParamSchema = z.object({
  task_id: bigintIdString("task_id"),
});
