import { z } from "../validation/zod";

/** Response shapes of the operations endpoints (server check, health, metrics), for OpenAPI. */

export const serverInfoSchema = z.object({
  status: z.literal("ok"),
  terms: z.string().describe("Terms of use (BENCHBOARD_TERMS)"),
  versions: z.object({
    app: z.string().describe("Application version (package.json)"),
    schema: z.string().nullable().describe("Latest database migration applied"),
    api: z.string().describe("API version"),
  }),
  user_info: z
    .object({
      node_seconds: z.int().describe("Sum over the caller's visible jobs' nodes of (ended or now) − started"),
      bytes_uploaded: z
        .int()
        .describe("Bytes of result payloads (once per stored result) and log lines uploaded by those nodes"),
      compute_time: z.int().describe("node_seconds under its server-check name"),
      bandwidth_kb: z.int().describe("bytes_uploaded / 1024, rounded down (docs/api-contract.md)"),
    })
    .optional()
    .describe("Only for signed-in callers"),
});

export const liveSchema = z.object({ status: z.literal("ok") });

const checkStatus = z.enum(["ok", "error"]);
export const readySchema = z.object({
  status: z.enum(["ok", "degraded"]),
  checks: z.object({ database: checkStatus, redis: checkStatus.optional().describe("Only when REDIS_URL is set") }),
});

export const metricsSchema = z.object({
  jobs: z.object({
    total_submitted_24h: z.int(),
    total_completed_24h: z.int().describe("completed or completed_with_warnings, ended in the window"),
    total_failed_24h: z.int(),
    total_aborted_24h: z.int(),
    success_rate: z.number().nullable().describe("completed / (completed + failed); null without ended jobs"),
  }),
  latency: z.object({
    request_p50_ms: z.number().nullable().describe("This instance, latest 4096 API requests"),
    request_p99_ms: z.number().nullable(),
    request_samples: z.int(),
    execution_p50_seconds: z.number().nullable().describe("Job run time (ended − started) of jobs ended in the window"),
    execution_p99_seconds: z.number().nullable(),
  }),
  throughput: z.object({
    jobs_per_second: z.number().describe("Jobs ended in the window / 86400"),
    peak_jobs_per_second: z.number().describe("Busiest hour's ended jobs / 3600"),
    requests_per_second: z.number().describe("This instance, last minute"),
    peak_requests_per_second: z.int(),
  }),
});
