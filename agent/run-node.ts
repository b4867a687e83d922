import type { CurrentJob } from "./client";
import { clock } from "../lib/util/clock";
import { JOIN_SPREAD_MAX_MS } from "../lib/agent/join-spread";

/** A batch upload (extension): any of results, log lines and a heartbeat of one node. */
export interface BatchUpload {
  results?: Record<string, unknown>[];
  logs?: { lines: string[] };
  heartbeat?: { progress?: Record<string, unknown> };
}
type PartError = { status: number; error: { code: string; message: string } };
/** Its answer: each part as its single call would answer it. */
export interface BatchAnswer {
  results?: ({ status: number; id: string } | PartError)[];
  logs?: { status: number; accepted: number } | PartError;
  heartbeat?: { status: number; job_state: string; continue: boolean } | PartError;
}

/** What an agent needs from the server; AgentClient (HTTP) and directAgentApi (in-process) provide it. */
export interface AgentApi {
  currentJob(): Promise<CurrentJob>;
  register(node: Record<string, unknown>): Promise<{ id: string; state: string }>;
  uploadResult(taskId: string, result: Record<string, unknown>, idempotencyKey: string): Promise<unknown>;
  logs(taskId: string, lines: string[]): Promise<unknown>;
  heartbeat(taskId: string, progress?: Record<string, unknown>): Promise<{ job_state: string; continue: boolean }>;
  finish(taskId: string, state: "completed" | "failed", failedMessage?: string): Promise<{ job_state: string }>;
  /** The batch upload extension, used when the server offers it; its part errors are thrown. */
  batch?(taskId: string, batch: BatchUpload, idempotencyKey: string): Promise<BatchAnswer>;
}

export interface NodeIdentity {
  machine_uuid: string;
  machine_ip?: string;
  hostname?: string;
  gpu_model: string;
  gpu_count: number;
  gpu_memory_gb?: number;
  inventory?: Record<string, unknown>;
  /** Where this node's agent accepts cluster_network connections (extension). */
  agent_endpoint?: { host: string; port: number };
}

export interface BenchmarkOutcome {
  state: "completed" | "failed";
  results?: Record<string, unknown> | null;
  error_message?: string | null;
  logs?: string[];
  /** A missing prerequisite (no driver, no PyTorch…): retrying or running further steps is pointless. */
  fatal?: boolean;
}

/**
 * Runs one benchmark step on this node (simulation, or an external benchmark program).
 * `signal` aborts when the job has ended meanwhile (cancelled, expired) or the agent is being
 * stopped: a program it started must be stopped then, not left running on the GPUs.
 */
export type Producer = (
  step: CurrentJob["benchmark_sequence"][number],
  attempt: number,
  signal: AbortSignal,
) => Promise<BenchmarkOutcome>;

export type AgentEvent =
  | { type: "registered"; node: string; taskId: string }
  | { type: "benchmark"; node: string; benchmark: string; step: number; steps: number; state: string; attempt: number }
  | { type: "finished"; node: string; state: string; jobState: string }
  | { type: "stopped"; node: string; jobState: string };

/**
 * Runs `work` while sending a heartbeat every interval, so a long benchmark does not look like
 * a lost node. A heartbeat that says the job has ended aborts the work's signal, as does
 * `stop`; `ended` then holds the job's state (or null when the agent was stopped).
 */
async function withHeartbeats<T>(
  api: AgentApi,
  taskId: string,
  progress: Record<string, unknown>,
  intervalMs: number,
  stop: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<{ out: T; ended: { jobState: string | null } | null }> {
  const jobEnded = new AbortController();
  let jobState: string | null = null;
  const timer = setInterval(
    () =>
      void api
        .heartbeat(taskId, progress)
        .then((hb) => {
          if (!hb.continue && !jobEnded.signal.aborted) {
            jobState = hb.job_state;
            jobEnded.abort();
          }
        })
        .catch(() => undefined),
    intervalMs,
  );
  const signal = stop ? AbortSignal.any([jobEnded.signal, stop]) : jobEnded.signal;
  try {
    const out = await work(signal);
    return { out, ended: signal.aborted ? { jobState } : null };
  } finally {
    clearInterval(timer);
  }
}

// The seed's limit on lines per log call (lib/agent/schemas.ts MAX_LOG_LINES_PER_CALL).
const MAX_LINES_PER_CALL = 1000;

/** A batch whose log lines exceed the offer: the lines as single calls, the rest as a batch. */
async function splitBatch(api: AgentApi, taskId: string, b: BatchUpload, key: string) {
  const lines = b.logs?.lines ?? [];
  for (let from = 0; from < lines.length; from += MAX_LINES_PER_CALL) {
    await api.logs(taskId, lines.slice(from, from + MAX_LINES_PER_CALL));
  }
  return api.batch!(taskId, { results: b.results, heartbeat: b.heartbeat }, key);
}

/**
 * Joins the job. When the server offers a join spread (GET /jobs/current
 * `extensions.join_spread`), the agent first waits a random part of it: the nodes of a big job
 * are usually started together, and joining all in one instant queues them on the server.
 */
export async function registerNode(api: AgentApi, node: NodeIdentity, job?: CurrentJob) {
  const spread = job?.extensions?.join_spread?.max_ms ?? 0;
  if (spread > 0) await new Promise((r) => setTimeout(r, Math.random() * Math.min(spread, JOIN_SPREAD_MAX_MS)));
  return api.register({ ...node });
}

/**
 * Runs the job's benchmark sequence on a registered node: progress heartbeats, one upload
 * per benchmark (idempotency key = node + step + attempt, so a retried HTTP call is stored
 * once), failed benchmarks retried up to max_retry_count, logs, then finish. When the server
 * offers the batch upload (GET /jobs/current `extensions.batch_upload`) each attempt's log
 * lines, result and a heartbeat go in one request; otherwise as the seed's three calls. Stops early
 * when the server says the job has ended (cancelled, expired), and after a fatal failure (a
 * missing prerequisite), which fails the node at once so no job waits on it.
 */
export async function runRegisteredNode(
  api: AgentApi,
  job: CurrentJob,
  node: NodeIdentity,
  taskId: string,
  produce: Producer,
  onEvent?: (e: AgentEvent) => void,
  stop?: AbortSignal,
) {
  const steps = job.benchmark_sequence;
  const maxRetries = job.requirements?.max_retry_count ?? 0;
  const heartbeatMs = Math.max(1, job.heartbeat_interval_seconds ?? 15) * 1000;
  const offer = job.extensions?.batch_upload;
  // Longer logs than a batch takes go as single calls (never dropped, never split over batches).
  const batching =
    offer && api.batch
      ? (id: string, b: BatchUpload, key: string) =>
          (b.logs?.lines.length ?? 0) <= offer.max_log_lines ? api.batch!(id, b, key) : splitBatch(api, id, b, key)
      : null;
  let completed = 0;
  let fatal: string | null = null;
  // A batch carries a heartbeat, and its answer says whether to go on: right after one, the
  // next step's (and the finish's) own heartbeat would tell the server nothing new, so it is
  // left out — two requests fewer per node and step when 200 nodes report at once.
  let batchHeartbeatJustAnswered = false;
  for (const [i, step] of steps.entries()) {
    const progress = {
      benchmark_id: step.benchmark_id,
      step: i + 1,
      steps: steps.length,
      percent: Math.round((i / steps.length) * 100),
    };
    if (!batchHeartbeatJustAnswered) {
      const hb = await api.heartbeat(taskId, progress);
      if (!hb.continue) {
        onEvent?.({ type: "stopped", node: node.machine_uuid, jobState: hb.job_state });
        return { state: "stopped", jobState: hb.job_state };
      }
    }
    batchHeartbeatJustAnswered = false;
    for (let attempt = 1; attempt <= 1 + maxRetries; attempt++) {
      const started = clock.now();
      const { out, ended } = await withHeartbeats(api, taskId, progress, heartbeatMs, stop, (signal) =>
        produce(step, attempt, signal),
      );
      if (ended?.jobState) {
        // The job ended while the benchmark ran, which was stopped: nothing more to report.
        onEvent?.({ type: "stopped", node: node.machine_uuid, jobState: ended.jobState });
        return { state: "stopped", jobState: ended.jobState };
      }
      if (ended) {
        // The agent itself is stopping: fail the node now, so the job does not wait for it.
        const why = `The agent was stopped during ${step.benchmark_id}; the benchmark was stopped too`;
        await api.logs(taskId, [why]).catch(() => undefined);
        const res = await api.finish(taskId, "failed", why);
        onEvent?.({ type: "finished", node: node.machine_uuid, state: "failed", jobState: res.job_state });
        return { state: "failed", jobState: res.job_state, completed, steps: steps.length, fatal: null };
      }
      const lines = [
        `${step.benchmark_id}: attempt ${attempt} ${out.state}${out.error_message ? ` (${out.error_message})` : ""}`,
        ...(out.logs ?? []),
      ];
      const result = {
        benchmark_id: step.benchmark_id,
        config: step.config,
        state: out.state,
        started_at: started.toISOString(),
        ended_at: clock.now().toISOString(),
        results: out.results ?? null,
        error_message: out.error_message ?? null,
        attempt,
      };
      const key = `${node.machine_uuid}:${i}:${attempt}`;
      if (batching) {
        const done = { ...progress, percent: Math.round(((i + 1) / steps.length) * 100) };
        const answer = await batching(
          taskId,
          { logs: { lines }, results: [{ ...result, idempotency_key: key }], heartbeat: { progress: done } },
          key,
        );
        const hb = answer.heartbeat;
        if (hb && "continue" in hb && !hb.continue) {
          onEvent?.({ type: "stopped", node: node.machine_uuid, jobState: hb.job_state });
          return { state: "stopped", jobState: hb.job_state };
        }
        batchHeartbeatJustAnswered = !!hb && "continue" in hb;
      } else {
        for (let from = 0; from < lines.length; from += MAX_LINES_PER_CALL) {
          await api.logs(taskId, lines.slice(from, from + MAX_LINES_PER_CALL));
        }
        await api.uploadResult(taskId, result, key);
      }
      onEvent?.({
        type: "benchmark",
        node: node.machine_uuid,
        benchmark: step.benchmark_id,
        step: i + 1,
        steps: steps.length,
        state: out.state,
        attempt,
      });
      if (out.state === "completed") {
        completed++;
        break;
      }
      if (out.fatal) {
        fatal = `${step.benchmark_id}: ${out.error_message ?? "a prerequisite is missing"}`;
        break;
      }
    }
    if (fatal) break;
  }
  if (!batchHeartbeatJustAnswered)
    await api.heartbeat(taskId, { step: steps.length, steps: steps.length, percent: 100 });
  const state = completed > 0 && !fatal ? "completed" : "failed";
  const res = await api.finish(
    taskId,
    state,
    state === "failed" ? (fatal ?? "Every benchmark failed on this node") : undefined,
  );
  onEvent?.({ type: "finished", node: node.machine_uuid, state, jobState: res.job_state });
  return { state, jobState: res.job_state, completed, steps: steps.length, fatal };
}
