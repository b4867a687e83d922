import { z } from "../validation/zod";
import { JOB_STATES } from "../jobs/states";

/**
 * Documented shapes of the Jobs API answers (docs/api-contract.md), for the OpenAPI document. The
 * services build these objects (lib/jobs/serialize.ts); objects stay open (`loose`) because
 * expansions add fields.
 */

const isoDateTime = z.iso.datetime().nullable();

export const errorSchema = z.object({
  error: z.object({
    code: z.string().describe("e.g. PARAMETER_INCORRECT_VALUE, CLIENT_TOKEN_INVALID, RESOURCE_NOT_FOUND, RATE_LIMITED"),
    message: z.string(),
    details: z.unknown().optional(),
    request_id: z.string().describe("Also in the X-Request-Id header"),
  }),
});

export const benchmarkResultSchema = z
  .object({
    benchmark_id: z.string(),
    benchmark_name: z.string(),
    started_at: isoDateTime,
    ended_at: isoDateTime,
    config: z.record(z.string(), z.unknown()).nullable(),
    results: z.record(z.string(), z.unknown()).nullable(),
    state: z.string(),
    error_message: z.string().nullable(),
  })
  .loose();

const resultsByBenchmark = z.record(z.string(), benchmarkResultSchema);

export const jobSchema = z
  .object({
    id: z.string().describe("Numeric id as a string"),
    name: z.string(),
    token: z.string().describe("Job token for the agents"),
    description: z.string().nullable(),
    state: z.enum(JOB_STATES),
    failed_message: z.string().nullable(),
    node_count: z.int(),
    current_nodes: z.int(),
    benchmark_sequence: z.array(
      z.object({ benchmark_id: z.string(), config: z.record(z.string(), z.unknown()).nullable() }).loose(),
    ),
    tags: z.array(z.string()),
    created_at: z.iso.datetime(),
    started_at: isoDateTime,
    expires_at: z.iso.datetime(),
    ended_at: isoDateTime,
    benchmarks: z.array(z.string()),
  })
  .loose();

export const taskSchema = z
  .object({
    id: z.string(),
    job_id: z.string(),
    machine_uuid: z.string(),
    machine_ip: z.string().nullable(),
    state: z.string(),
    failed_message: z.string().nullable(),
    created_at: z.iso.datetime(),
    started_at: isoDateTime,
    ended_at: isoDateTime,
    gpu_model: z.string().nullable(),
    gpu_count: z.int(),
    inventory: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe("Extension: the node's hardware as its agent reported it (CPU, memory, OS, each GPU from nvidia-smi)"),
    pdf_report_url: z.string().nullable(),
    benchmark_results: resultsByBenchmark,
  })
  .loose();

export const jobDetailSchema = jobSchema.extend({
  tasks: z.array(taskSchema).optional().describe("Left out with include_tasks=false"),
  benchmark_results: resultsByBenchmark.optional().describe("Left out with include_results=false"),
  pdf_report_url: z.string().nullable(),
  scoreboard_summary: z.record(z.string(), z.unknown()).nullable(),
  caller_permissions: z
    .object({ update: z.boolean(), cancel: z.boolean(), delete: z.boolean() })
    .describe(
      "Extension: whether the caller may rename/tag, cancel and delete this job (the role × ownership permission table; the job's state aside)",
    ),
});

export const jobListSchema = z.object({
  results: z.array(jobSchema),
  pagination: z.object({
    total: z.int(),
    page: z.int(),
    per_page: z.int(),
    total_pages: z.int(),
    has_next: z.boolean(),
    has_prev: z.boolean(),
  }),
});

export const taskListSchema = z.object({
  data: z.array(
    taskSchema.extend({ benchmark_results: resultsByBenchmark.optional().describe("Only with include_results=true") }),
  ),
  pagination: z.object({ page: z.int(), per_page: z.int(), total: z.int(), pages: z.int() }),
});

export const taskResultsSchema = z
  .object({
    manufacturer_gpu_spec: z
      .object({
        model: z.string(),
        compute_capability: z.string(),
        memory_gb: z.number(),
        memory_bandwidth: z.string().describe('e.g. "2039 GB/s"'),
        fp32_tflops: z.number(),
        tf32_tensor_tflops: z.number(),
        fp16_tensor_tflops: z.number(),
        bf16_tensor_tflops: z.number(),
        tdp_watts: z.number(),
        source: z.string(),
      })
      .nullable()
      .describe(
        "The manufacturer's datasheet figures for the node's GPU model; null for a model without a datasheet entry",
      ),
    company_name: z.string(),
    machine_id: z.uuid(),
    configuration_id: z
      .uuid()
      .describe("Hash of the node's hardware and driver inventory: equal ids mean identical configurations"),
    task_id: z.string(),
    job_id: z.string(),
    benchmark_results: resultsByBenchmark,
  })
  .loose();

export const tokenSchema = z.object({ access_token: z.string(), token_type: z.literal("bearer"), expires_in: z.int() });
export const tokenFormSchema = z.object({
  username: z.string().describe("Email"),
  password: z.string(),
  grant_type: z.literal("password").optional(),
});
export const tagsSchema = z.object({ tags: z.array(z.string()) });
export const statsSchema = z.object({ alert_job_count: z.int(), regressed_job_count: z.int() }).loose();
export const anyObject = z.record(z.string(), z.unknown());
export const uploadReceiptSchema = z.object({ id: z.string(), benchmark_id: z.string(), state: z.string() });
export const heartbeatAnswerSchema = z.object({ job_state: z.string(), task_state: z.string(), continue: z.boolean() });
export const finishAnswerSchema = z.object({ task_state: z.string(), job_state: z.string() });

// Enrolled machines and schedules (lib/enrollment, lib/schedules).
export const enrollmentTokenSchema = z.object({
  id: z.int(),
  name: z.string(),
  customer_id: z.int(),
  customer: z.string().nullable(),
  created_by: z.string().nullable(),
  token_prefix: z.string().describe("The first characters of the secret, to tell tokens apart"),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  state: z.enum(["active", "revoked"]),
  machine_count: z.int().describe("Machines enrolled with it"),
});
const agentViewSchema = z
  .object({
    status: z.enum(["idle", "busy", "offline"]),
    enrolled_at: z.string(),
    last_seen_at: z.string().nullable(),
    version: z.string().nullable(),
  })
  .nullable()
  .describe("The service agent's live status; null when the machine is not enrolled");
export const enrolledMachineSchema = z.object({
  id: z.int(),
  machine_uuid: z.string(),
  hostname: z.string().nullable(),
  customer: z.string(),
  gpu_model: z.string().nullable(),
  gpu_count: z.int(),
  labels: z.array(z.string()),
  enrollment_token: z.string().nullable(),
  agent: agentViewSchema,
});
export const enrollAnswerSchema = z.object({
  machine_id: z.int(),
  machine_uuid: z.string(),
  machine_credential: z.string().describe("Bearer credential for /agents/*; shown once, keep it in the state file"),
  poll_wait_seconds: z.number(),
  offline_after_seconds: z.number(),
});
export const agentWorkSchema = z.object({
  job: anyObject
    .nullable()
    .describe("GET /jobs/current's answer for the job plus its `token`; null when none came within `wait`"),
  status: z.enum(["idle", "busy"]),
});
const scheduleRunSchema = z.object({
  tick_at: z.string(),
  created_at: z.string(),
  job: z.object({ id: z.string(), name: z.string(), state: z.string(), performance_status: z.string() }).nullable(),
  machine_count: z.int(),
  skipped_reason: z.string().nullable(),
});
export const scheduleSchema = z.object({
  id: z.int(),
  name: z.string(),
  customer_id: z.int(),
  customer: z.string(),
  created_by: z.string(),
  cron: z.string(),
  benchmarks: z.array(z.string()),
  benchmark_sequence: z.array(z.object({ benchmark_id: z.string(), config: anyObject.nullable() })),
  target: z.object({
    gpu_model: z.string().nullable(),
    machine_ids: z.array(z.int()),
    tags: z.array(z.string()),
  }),
  only_idle: z.boolean(),
  paused: z.boolean(),
  tag: z.string().describe("The tag of every job it creates: schedule:<name>"),
  next_tick_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  runs: z.array(scheduleRunSchema),
});
