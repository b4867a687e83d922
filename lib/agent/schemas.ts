import { z } from "../validation/zod";
import { bigintIdString } from "../api/ids";
import { DATE_RANGE_MESSAGE, inDateRange } from "../api/dates";

/** Agent protocol payloads (job-token endpoints under /jobs/current). */

export const MAX_LOG_LINES_PER_CALL = 1000;
export const MAX_LOG_LINE_LENGTH = 8192;

const isoDate = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 datetime" })
  .transform((s) => new Date(s))
  .refine(inDateRange, { message: DATE_RANGE_MESSAGE });

/** One GPU as the agent reads it from nvidia-smi; every field may be unknown on some GPUs. */
export const gpuInventorySchema = z.object({
  index: z.int().min(0).max(63),
  name: z.string().max(100),
  uuid: z.string().max(100).nullable().optional(),
  serial: z.string().max(100).nullable().optional(),
  pci_bus_id: z.string().max(100).nullable().optional(),
  memory_total_mib: z.number().min(0).nullable().optional(),
  driver_version: z.string().max(50).nullable().optional(),
  pcie_gen_current: z.number().nullable().optional(),
  pcie_gen_max: z.number().nullable().optional(),
  pcie_width_current: z.number().nullable().optional(),
  pcie_width_max: z.number().nullable().optional(),
  clocks_max_sm_mhz: z.number().nullable().optional(),
  clocks_max_memory_mhz: z.number().nullable().optional(),
  power_limit_watts: z.number().nullable().optional(),
  ecc_mode: z.string().max(50).nullable().optional(),
});

/**
 * The node's hardware and software. The keys below are what the Benchboard agent sends and
 * the dashboard shows; other agents may add their own keys, which are stored as sent.
 */
export const nodeInventorySchema = z
  .object({
    cpu: z.string().max(200).nullable().optional(),
    cpu_cores: z.int().min(0).max(100_000).nullable().optional(),
    memory_gb: z.number().min(0).nullable().optional(),
    os: z.string().max(200).nullable().optional(),
    kernel: z.string().max(200).nullable().optional(),
    driver_version: z.string().max(50).nullable().optional(),
    cuda_version: z.string().max(50).nullable().optional(),
    gpus: z.array(gpuInventorySchema).max(64).optional(),
  })
  .catchall(z.unknown());
export type NodeInventory = z.output<typeof nodeInventorySchema>;

/** Where this node's agent accepts cluster_network connections from its peers (extension). */
export const agentEndpointSchema = z.object({
  host: z.union([z.ipv4(), z.ipv6()]),
  port: z.int().min(1).max(65535),
});

export const registerNodeSchema = z.object({
  machine_uuid: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[\w.:-]+$/, "machine_uuid may contain letters, digits, . : _ -"),
  machine_ip: z.union([z.ipv4(), z.ipv6()]).optional().nullable(),
  hostname: z.string().max(255).optional(),
  gpu_model: z.string().trim().min(1).max(100),
  gpu_count: z.int().min(0).max(64),
  gpu_memory_gb: z.number().min(0).max(4096).optional(),
  inventory: nodeInventorySchema.optional(),
  agent_endpoint: agentEndpointSchema
    .optional()
    .describe("Extension: host and port where this node's agent accepts cluster_network measurements from its peers"),
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

export const peersQuerySchema = z
  .object({
    benchmark_id: z
      .string()
      .min(1)
      .max(100)
      .default("cluster_network")
      .describe("The benchmark step the peers must have reached"),
  })
  .strict();

const peerSchema = z.object({
  task_id: z.string(),
  machine_uuid: z.string(),
  hostname: z.string().nullable(),
  label: z
    .string()
    .describe("The name this node's links carry in measurements: its hostname, made unique within the job"),
  state: z.string(),
  host: z.string().nullable(),
  port: z.int().nullable(),
  reached: z.boolean().describe("The node has started the benchmark step (or ended)"),
  done: z.boolean().describe("The node has uploaded its result of the benchmark, or ended"),
});

export const peersAnswerSchema = z.object({
  job_state: z.string(),
  node_count: z.int(),
  benchmark_id: z.string(),
  ready: z.boolean().describe("Every node has joined and every running node has reached the step: measure now"),
  self: peerSchema,
  peers: z.array(peerSchema),
});
export type PeersAnswer = z.output<typeof peersAnswerSchema>;

/** Results one batch upload may carry (with up to MAX_LOG_LINES_PER_CALL log lines and a heartbeat). */
export const MAX_BATCH_RESULTS = 100;

/**
 * Extension: several results, log lines and a heartbeat of one node in one request. Each part
 * is exactly the payload of its single call (uploadResultSchema, appendLogsSchema,
 * heartbeatSchema), so the rules are the same; an unknown top-level key or an empty batch is
 * refused, since a typo would otherwise drop data silently.
 */
export const batchUploadSchema = z
  .object({
    results: z
      .array(uploadResultSchema)
      .max(MAX_BATCH_RESULTS)
      .optional()
      .describe(
        "Benchmark results, each as POST …/results takes it; each item's idempotency_key makes its retry store it once",
      ),
    logs: appendLogsSchema.optional().describe("Log lines, as POST …/logs takes them; stored before the results"),
    heartbeat: heartbeatSchema
      .optional()
      .describe("A heartbeat, as POST …/heartbeat takes it; sent last, so its answer reflects the batch"),
  })
  .strict()
  .refine((b) => Boolean(b.results?.length || b.logs || b.heartbeat), {
    message: "A batch needs at least one of results, logs, heartbeat",
  });
export type BatchUploadInput = z.output<typeof batchUploadSchema>;

/** What the server offers agents beyond the seed protocol (GET /jobs/current `extensions`). */
export const agentExtensionsSchema = z.object({
  batch_upload: z
    .object({
      path: z.string().describe("Path template under the API base, with {task_id}"),
      max_results: z.int(),
      max_log_lines: z.int(),
    })
    .describe("POST this path with {results, logs, heartbeat} instead of the single calls"),
  join_spread: z
    .object({
      max_ms: z.int().describe("The longest wait: 10 ms per node of the job, at most 10 s"),
    })
    .optional()
    .describe(
      "Offered to jobs of more than one node: each agent waits a random part of max_ms before it registers, so the nodes of a big job started at once do not all join in the same instant",
    ),
});

const itemErrorSchema = z.object({
  status: z.int().describe("The status the single call would have answered (400, 404, 409, …)"),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** The answer of a batch upload: one outcome per part sent, each what its single call answers. */
export const batchAnswerSchema = z.object({
  results: z
    .array(
      z.union([
        z.object({
          status: z.union([z.literal(201), z.literal(200)]).describe("201 stored, 200 already stored (a retry)"),
          id: z.string(),
          benchmark_id: z.string(),
          state: z.string(),
        }),
        itemErrorSchema,
      ]),
    )
    .optional()
    .describe("In the order sent"),
  logs: z
    .union([
      z.object({
        status: z.union([z.literal(202), z.literal(200)]).describe("202 stored, 200 this batch key was stored before"),
        accepted: z.int(),
      }),
      itemErrorSchema,
    ])
    .optional(),
  heartbeat: z
    .union([
      z.object({ status: z.literal(200), job_state: z.string(), task_state: z.string(), continue: z.boolean() }),
      itemErrorSchema,
    ])
    .optional(),
});

/** GET /jobs/current: the seed's fields, and the extensions this server offers. */
export const currentJobAnswerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    node_count: z.int(),
    current_nodes: z.int(),
    benchmark_sequence: z.array(
      z.object({
        benchmark_id: z.string(),
        config: z.record(z.string(), z.unknown()).nullable(),
        benchmark_name: z.string(),
      }),
    ),
    benchmarks: z.array(z.string()),
    requirements: z.record(z.string(), z.unknown()).nullable(),
    expires_at: z.string(),
    heartbeat_interval_seconds: z.int(),
    extensions: agentExtensionsSchema.describe(
      "Extensions beyond the seed protocol; agents ignore keys they do not know",
    ),
  })
  .describe("What the agent needs to run the job");
