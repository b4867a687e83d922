import { directQuery, type Db } from "../db/client";
import type { Job, Task } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { ApiError, ConflictError, NotFoundError, ValidationError } from "../api/errors";
import { findBenchmark } from "../benchmarks/catalog";
import { normaliseQuickmarkResults } from "../results/quickmark";
import { clock } from "../util/clock";
import { abortJob, finishTaskAndJob, lockJob } from "../jobs/lifecycle";
import { isLive, LIVE_STATES } from "../jobs/states";
import type { JobRequirements } from "../jobs/schemas";
import { serializeTask, type BenchmarkStep } from "../jobs/serialize";
import { performanceThreshold } from "../performance/metrics";
import { loadOwnBaseline } from "../performance/history";
import { loadReferencesCached } from "../performance/references";
import { scoreQuickmark } from "../performance/scoring";
import { MAX_BATCH_RESULTS, MAX_LOG_LINES_PER_CALL, type RegisterNodeInput, type UploadResultInput } from "./schemas";
import { joinSpread } from "./join-spread";
import { rememberTask } from "./task-facts";
import { readBenchmarkSequence } from "../db/json-columns";
import { invalidJobToken } from "./job-token";

export class JobEndedError extends ApiError {
  constructor(job: Pick<Job, "id" | "state">) {
    super(409, "JOB_ENDED", `Job ${job.id} has ended (${job.state}); no more agent updates are accepted`);
  }
}

export class NodeRejectedError extends ApiError {
  constructor(message: string) {
    super(422, "NODE_REQUIREMENTS_NOT_MET", message);
  }
}

/** Expired or ended jobs refuse agent writes; expiry is enforced here as well as by the sweeper. */
async function assertLive(db: Db, job: Job): Promise<void> {
  if (!isLive(job.state)) throw new JobEndedError(job);
  if (job.expiresAt.getTime() <= clock.now().getTime()) {
    await abortJob(db, job.id, "Job token expired before the job finished");
    throw new JobEndedError({ id: job.id, state: "aborted" });
  }
}

/** GET /jobs/current: what the agent needs to run the job. */
export function currentJobView(job: Job) {
  const sequence = readBenchmarkSequence(job.benchmarkSequence);
  return {
    id: job.id.toString(),
    name: job.name,
    state: job.state,
    node_count: job.nodeCount,
    current_nodes: job.currentNodes,
    benchmark_sequence: sequence.map((s) => ({
      ...s,
      benchmark_name: findBenchmark(s.benchmark_id)?.name ?? s.benchmark_id,
    })),
    benchmarks: sequence.map((s) => s.benchmark_id),
    requirements: job.requirements ?? null,
    expires_at: job.expiresAt.toISOString(),
    heartbeat_interval_seconds: 15,
    // What this server offers beyond the seed protocol; agents that do not know a key ignore it.
    extensions: {
      batch_upload: {
        path: "/jobs/current/tasks/{task_id}/batch",
        max_results: MAX_BATCH_RESULTS,
        max_log_lines: MAX_LOG_LINES_PER_CALL,
      },
      join_spread: joinSpread(job.nodeCount),
    },
  };
}

function requirementProblem(req: JobRequirements, node: RegisterNodeInput): string | null {
  if (req.gpu_name && !node.gpu_model.toLowerCase().includes(req.gpu_name.toLowerCase())) {
    return `GPU model '${node.gpu_model}' does not match the required '${req.gpu_name}'`;
  }
  if (req.gpu_count && node.gpu_count < req.gpu_count)
    return `Node has ${node.gpu_count} GPUs; the job requires at least ${req.gpu_count}`;
  if (req.min_vram_gb && (node.gpu_memory_gb ?? 0) < req.min_vram_gb) {
    return `Node reports ${node.gpu_memory_gb ?? "unknown"} GB per GPU; the job requires at least ${req.min_vram_gb} GB`;
  }
  return null;
}

/**
 * A node joins: becomes a task, counts toward current_nodes and moves the job to starting /
 * running. Registering the same machine again returns its task (agents retry). Nodes that
 * miss the job's requirements are recorded as rejected with the reason, and refused.
 */
export async function registerNode(db: Db, jobRef: Job, input: RegisterNodeInput) {
  await assertLive(db, jobRef);
  const now = clock.now();
  // The job's requirements never change: a node that meets them joins in one statement.
  if (!requirementProblem((jobRef.requirements ?? {}) as JobRequirements, input)) {
    const task = await joinOnce(db, jobRef, input, now);
    if (task) {
      rememberTask(db, task, jobRef);
      return { created: true, task: serializeTask(task, [], null) };
    }
  }
  // A node registering again, a rejected node, a full or ended job: the transaction below
  // gives each its answer.
  const outcome = await db.$transaction(
    async (tx) => {
      const job = await lockJob(tx, jobRef.id);
      // The caller's row may be a recent cached read (lib/agent/job-cache.ts): this one is not.
      if (job.deletedAt || job.token !== jobRef.token) throw invalidJobToken();
      if (!isLive(job.state)) throw new JobEndedError(job);
      const existing = await tx.task.findUnique({
        where: { jobId_machineUuid: { jobId: job.id, machineUuid: input.machine_uuid } },
      });
      if (existing) {
        // An agent restarted on the node listens on a new port: its peers must learn it.
        if (input.agent_endpoint && existing.state === "running") {
          const task = await tx.task.update({
            where: { id: existing.id },
            data: { agentHost: input.agent_endpoint.host, agentPort: input.agent_endpoint.port },
          });
          return { task, created: false };
        }
        return { task: existing, created: false };
      }
      const inventory = {
        ...(input.inventory ?? {}),
        hostname: input.hostname ?? null,
        gpu_memory_gb: input.gpu_memory_gb ?? null,
      } as Prisma.InputJsonValue;
      const base = {
        jobId: job.id,
        machineUuid: input.machine_uuid,
        machineIp: input.machine_ip ?? null,
        gpuModel: input.gpu_model,
        gpuCount: input.gpu_count,
        inventory,
        agentHost: input.agent_endpoint?.host ?? null,
        agentPort: input.agent_endpoint?.port ?? null,
        createdAt: now,
      };
      const problem = requirementProblem((job.requirements ?? {}) as JobRequirements, input);
      if (problem) {
        const task = await tx.task.create({
          data: { ...base, state: "rejected", failedMessage: problem, endedAt: now },
        });
        return { task, created: true, rejected: problem };
      }
      if (job.currentNodes >= job.nodeCount) {
        throw new ConflictError(`Job ${job.id} already has all ${job.nodeCount} nodes`, "JOB_FULL");
      }
      const task = await tx.task.create({ data: { ...base, state: "running", startedAt: now, lastHeartbeatAt: now } });
      const currentNodes = job.currentNodes + 1;
      await tx.job.update({
        where: { id: job.id },
        data: {
          currentNodes,
          state: currentNodes >= job.nodeCount ? "running" : "starting",
          startedAt: job.startedAt ?? now,
          gpuModels: job.gpuModels.includes(input.gpu_model) ? undefined : [...job.gpuModels, input.gpu_model],
        },
      });
      await tx.machine.upsert({
        where: { customerId_uuid: { customerId: job.customerId, uuid: input.machine_uuid } },
        create: {
          customerId: job.customerId,
          uuid: input.machine_uuid,
          hostname: input.hostname ?? null,
          gpuModel: input.gpu_model,
          gpuCount: input.gpu_count,
          inventory,
          firstSeenAt: now,
          lastSeenAt: now,
          lastJobId: job.id,
        },
        update: {
          hostname: input.hostname ?? undefined,
          gpuModel: input.gpu_model,
          gpuCount: input.gpu_count,
          inventory,
          lastSeenAt: now,
          lastJobId: job.id,
        },
      });
      return { task, created: true };
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  if ("rejected" in outcome && outcome.rejected) throw new NodeRejectedError(outcome.rejected);
  if (outcome.task.state === "rejected") throw new NodeRejectedError(outcome.task.failedMessage ?? "Node rejected");
  rememberTask(db, outcome.task, jobRef);
  return { created: outcome.created, task: serializeTask(outcome.task, [], null) };
}

/**
 * A new node joins in ONE statement: the job row is locked (FOR UPDATE) only for the
 * statement, not for a transaction of several round trips, so 200 nodes registering at once
 * queue for about a millisecond each and hold no pool connection while they wait. The task
 * insert is gated by the locked row (live, not full) and by the (job, machine) unique index;
 * the job's count, state and GPU models and the machine row follow only when it inserted.
 * Null when it did not (already registered, full, ended): the caller's transaction answers.
 */
async function joinOnce(db: Db, job: Job, input: RegisterNodeInput, now: Date): Promise<Task | null> {
  const inventory = JSON.stringify({
    ...(input.inventory ?? {}),
    hostname: input.hostname ?? null,
    gpu_memory_gb: input.gpu_memory_gb ?? null,
  });
  const host = input.agent_endpoint?.host ?? null;
  const port = input.agent_endpoint?.port ?? null;
  // Straight to the pool (lib/db/client.ts directQuery): its parameters go untyped, hence the casts.
  const rows = await directQuery<{ id: bigint | string }>(
    db,
    Prisma.sql`
    WITH j AS (
      SELECT id, state, current_nodes, node_count, customer_id FROM jobs WHERE id = ${job.id}::bigint AND deleted_at IS NULL FOR UPDATE
    ), ins AS (
      INSERT INTO tasks (job_id, machine_uuid, machine_ip, gpu_model, gpu_count, inventory, agent_host, agent_port,
                         state, created_at, started_at, last_heartbeat_at)
      SELECT j.id, ${input.machine_uuid}::text, ${input.machine_ip ?? null}::text, ${input.gpu_model}::text, ${input.gpu_count}::int,
             ${inventory}::jsonb, ${host}::text, ${port}::int, 'running', ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz
      FROM j WHERE j.state = ANY(${LIVE_STATES as string[]}::text[]) AND j.current_nodes < j.node_count
      ON CONFLICT (job_id, machine_uuid) DO NOTHING
      RETURNING id
    ), counted AS (
      UPDATE jobs SET
        current_nodes = j.current_nodes + 1,
        state = CASE WHEN j.current_nodes + 1 >= j.node_count THEN 'running' ELSE 'starting' END,
        started_at = COALESCE(jobs.started_at, ${now}::timestamptz),
        gpu_models = CASE WHEN ${input.gpu_model}::text = ANY(jobs.gpu_models) THEN jobs.gpu_models
                          ELSE array_append(jobs.gpu_models, ${input.gpu_model}::text) END
      FROM j WHERE jobs.id = j.id AND EXISTS (SELECT 1 FROM ins)
    ), machine AS (
      INSERT INTO machines (customer_id, uuid, hostname, gpu_model, gpu_count, inventory, first_seen_at, last_seen_at, last_job_id)
      SELECT j.customer_id, ${input.machine_uuid}::text, ${input.hostname ?? null}::text, ${input.gpu_model}::text, ${input.gpu_count}::int,
             ${inventory}::jsonb, ${now}::timestamptz, ${now}::timestamptz, j.id
      FROM j WHERE EXISTS (SELECT 1 FROM ins)
      ON CONFLICT (customer_id, uuid) DO UPDATE SET
        hostname = COALESCE(EXCLUDED.hostname, machines.hostname), gpu_model = EXCLUDED.gpu_model,
        gpu_count = EXCLUDED.gpu_count, inventory = EXCLUDED.inventory, last_seen_at = EXCLUDED.last_seen_at,
        last_job_id = EXCLUDED.last_job_id
    )
    SELECT id FROM ins`,
    "benchboard_agent_join",
  );
  if (!rows.length) return null;
  return {
    id: BigInt(rows[0].id),
    jobId: job.id,
    machineUuid: input.machine_uuid,
    machineIp: input.machine_ip ?? null,
    customerId: job.customerId,
    userId: job.userId,
    jobLive: true, // the insert required deleted_at IS NULL
    gpuModel: input.gpu_model,
    gpuCount: input.gpu_count,
    inventory: JSON.parse(inventory),
    state: "running",
    failedMessage: null,
    createdAt: now,
    startedAt: now,
    endedAt: null,
    lastHeartbeatAt: now,
    progress: null,
    performance: null,
    bytesUploaded: 0n,
    agentHost: host,
    agentPort: port,
  };
}

async function runningTask(db: Db, job: Job, taskId: bigint) {
  // Only what the agent endpoints need: this runs on every upload, log batch and heartbeat.
  const task = await db.task.findFirst({
    where: { id: taskId, jobId: job.id },
    select: { id: true, state: true, gpuModel: true, machineUuid: true, createdAt: true },
  });
  if (!task) throw new NotFoundError(`Task ${taskId} not found in job ${job.id}`);
  return task;
}

export function defaultIdempotencyKey(taskId: bigint, input: UploadResultInput): string {
  return `${taskId}:${input.benchmark_id}:${JSON.stringify(input.config ?? null)}:${input.attempt ?? 1}`;
}

/**
 * Stores one benchmark result of a node. The (task, idempotency key) unique index makes a
 * retried upload return the stored row instead of writing a second one. This is the general
 * path, with every check and its precise error; agentWrite() (lib/agent/ingest.ts) is the fast path.
 */
export async function storeResultWithChecks(
  db: Db,
  job: Job,
  taskId: bigint,
  input: UploadResultInput,
  headerKey: string | null,
) {
  await assertLive(db, job);
  const task = await runningTask(db, job, taskId);
  const key = headerKey ?? input.idempotency_key ?? defaultIdempotencyKey(taskId, input);
  if (task.state !== "running") {
    // A retry of an upload that made it before the task ended is still answered.
    const duplicate = await storedUpload(db, taskId, key);
    if (duplicate) return { created: false, result: duplicate };
    throw new ConflictError(`Task ${taskId} has ended (${task.state})`, "TASK_ENDED");
  }
  return insertResult(
    db,
    job.id,
    job.benchmarkSequence,
    {
      id: taskId,
      gpuModel: task.gpuModel,
      machineUuid: task.machineUuid,
      createdAt: task.createdAt,
      customerId: job.customerId,
    },
    input,
    key,
  );
}

export async function storedUpload(db: Db, taskId: bigint, key: string) {
  const row = await db.benchmarkResult.findUnique({
    where: { taskId_idempotencyKey: { taskId, idempotencyKey: key } },
    select: { id: true, benchmarkId: true, state: true },
  });
  return row && uploadReceipt(row.id, row.benchmarkId, row.state);
}

/**
 * The write shared by both paths: one statement inserts the result (with its size) and, for a completed
 * quick_mark, stores the node's live performance verdict on its task (the job roll-up is
 * computed when the job ends). The (task, key) unique index decides first upload vs retry.
 */
type ScoredTask = { id: bigint; gpuModel: string | null; machineUuid: string; createdAt: Date; customerId: number };

async function insertResult(
  db: Db,
  jobId: bigint,
  benchmarkSequence: unknown,
  task: ScoredTask,
  input: UploadResultInput,
  key: string,
) {
  const sequence = benchmarkSequence as BenchmarkStep[];
  if (!sequence.some((s) => s.benchmark_id === input.benchmark_id)) {
    throw new ValidationError(`Benchmark '${input.benchmark_id}' is not part of job ${jobId}`);
  }
  const def = findBenchmark(input.benchmark_id)!;
  const now = clock.now();
  let performance: string | null = null;
  if (def.id === "quick_mark" && input.state === "completed" && task.gpuModel) {
    const subject = {
      customerId: task.customerId,
      machineUuid: task.machineUuid,
      gpuModel: task.gpuModel,
      taskId: task.id,
      before: task.createdAt,
    };
    const [refs, baseline] = await Promise.all([loadReferencesCached(db, task.gpuModel), loadOwnBaseline(db, subject)]);
    performance = JSON.stringify(scoreQuickmark(input.results, refs, performanceThreshold(), baseline));
  }
  const config = JSON.stringify(input.config ?? {});
  // Both per-GPU shapes (ours and SiliconMark's) are stored with our identity keys added.
  const results = JSON.stringify(
    (def.id === "quick_mark" ? normaliseQuickmarkResults(input.results) : input.results) ?? {},
  );
  const bytes = Buffer.byteLength(config) + Buffer.byteLength(results) + Buffer.byteLength(input.error_message ?? "");
  // One statement: the insert, with its payload_bytes (usage accounting: one more column of
  // the same row) and, only for a new completed quick_mark, the node's live verdict on its task.
  const inserted = await db.$queryRaw<{ id: bigint }[]>`
    WITH ins AS (
      INSERT INTO benchmark_results (job_id, task_id, benchmark_id, benchmark_name, config, results, state, error_message, started_at, ended_at, idempotency_key, created_at, payload_bytes)
      VALUES (${jobId}, ${task.id}, ${def.id}, ${def.name}, ${config}::jsonb, ${results}::jsonb,
              ${input.state}, ${input.error_message ?? null}, ${input.started_at ?? null}, ${input.ended_at ?? now}, ${key}, ${now}, ${bytes})
      ON CONFLICT (task_id, idempotency_key) DO NOTHING
      RETURNING id
    ), perf AS (
      UPDATE tasks SET performance = ${performance}::jsonb
      WHERE id = ${task.id} AND ${performance}::jsonb IS NOT NULL AND EXISTS (SELECT 1 FROM ins)
    )
    SELECT id FROM ins`;
  if (!inserted.length) return { created: false, result: (await storedUpload(db, task.id, key))! };
  return { created: true, result: uploadReceipt(inserted[0].id, def.id, input.state) };
}

/** What an upload answers: the stored result's id (the agent already has its payload). */
export function uploadReceipt(id: bigint, benchmarkId: string, state: string) {
  return { id: id.toString(), benchmark_id: benchmarkId, state };
}
export type UploadReceipt = ReturnType<typeof uploadReceipt>;

/** Log lines as stored: multi-line strings become one row per line, so tail counts what a reader sees. */
export function logRows(lines: (string | { ts?: Date; line: string })[], now: Date): { ts: Date; line: string }[] {
  return lines.flatMap((l) => {
    const { ts, line } = typeof l === "string" ? { ts: now, line: l } : { ts: l.ts ?? now, line: l.line };
    return line.split(/\r?\n/).map((part) => ({ ts, line: part }));
  });
}

/**
 * Stores a node's log lines. With a batch key (a batch upload's Idempotency-Key) they are
 * stored once: a repeated key stores nothing and answers `repeated`.
 */
export async function appendLogs(
  db: Db,
  job: Job,
  taskId: bigint,
  lines: (string | { ts?: Date; line: string })[],
  batchKey: string | null = null,
) {
  await assertLive(db, job);
  await runningTask(db, job, taskId);
  const rows = logRows(lines, clock.now());
  const bytes = rows.reduce((sum, r) => sum + Buffer.byteLength(r.line), 0);
  // One statement stores the lines and adds their size to the node's bytes_uploaded (one
  // row update per batch of up to 1000 lines).
  const stored = await db.$queryRaw<{ n: number }[]>`
    WITH batch AS (
      INSERT INTO task_batches (task_id, idempotency_key, created_at)
      SELECT ${taskId}, ${batchKey}::text, ${clock.now()} WHERE ${batchKey}::text IS NOT NULL
      ON CONFLICT DO NOTHING
      RETURNING 1
    ), fresh AS (
      SELECT ${batchKey}::text IS NULL OR EXISTS (SELECT 1 FROM batch) AS yes
    ), counted AS (
      UPDATE tasks SET bytes_uploaded = bytes_uploaded + ${bytes}::bigint WHERE id = ${taskId} AND (SELECT yes FROM fresh)
    ), ins AS (
      INSERT INTO job_logs (job_id, task_id, ts, line)
      SELECT ${job.id}, ${taskId}, t.ts, t.line
      FROM unnest(${rows.map((r) => r.ts.toISOString())}::timestamptz[], ${rows.map((r) => r.line)}::text[]) WITH ORDINALITY AS t(ts, line, n)
      WHERE (SELECT yes FROM fresh)
      ORDER BY t.n
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM ins`;
  return { accepted: rows.length, repeated: stored[0].n === 0 && rows.length > 0 };
}

/** Liveness and progress; the answer tells the agent whether to stop (job cancelled/ended). */
export async function heartbeat(db: Db, job: Job, taskId: bigint, progress: Record<string, unknown> | undefined) {
  const task = await runningTask(db, job, taskId);
  const now = clock.now();
  if (task.state === "running") {
    await db.task.update({
      where: { id: taskId },
      data: { lastHeartbeatAt: now, ...(progress ? { progress: progress as Prisma.InputJsonValue } : {}) },
    });
  }
  const fresh = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { state: true } });
  const live = isLive(fresh.state) && task.state === "running";
  return { job_state: fresh.state, task_state: task.state, continue: live };
}

export async function finishTask(
  db: Db,
  job: Job,
  taskId: bigint,
  state: "completed" | "failed",
  failedMessage: string | null,
) {
  const task = await runningTask(db, job, taskId);
  if (task.state !== "running" && task.state !== state)
    throw new ConflictError(`Task ${taskId} has already ended (${task.state})`, "TASK_ENDED");
  // A retried finish (task already in `state`) goes through too: it answers the job's true
  // state, ending the job first if that was left undone.
  await finishTaskAndJob(db, job.id, taskId, state, failedMessage);
  const fresh = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { state: true } });
  return { task_state: state, job_state: fresh.state };
}
