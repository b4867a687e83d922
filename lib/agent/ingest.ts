import { directQuery, type Db } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { ApiError, NotFoundError, ValidationError } from "../api/errors";
import { findBenchmark } from "../benchmarks/catalog";
import { LIVE_STATES } from "../jobs/states";
import { normaliseQuickmarkResults } from "../results/quickmark";
import { performanceThreshold } from "../performance/metrics";
import { loadReferencesCached } from "../performance/references";
import { scoreQuickmark } from "../performance/scoring";
import { clock } from "../util/clock";
import { coalesce } from "../util/coalesce";
import { processSingleton } from "../ops/global";
import { requestMetrics } from "../ops/request-metrics";
import { Histogram } from "prom-client";
import { invalidJobToken, type JobTokenClaim } from "./job-token";
import type { BatchUploadInput, UploadResultInput } from "./schemas";
import { ownBaseline, taskFacts, type TaskFacts } from "./task-facts";
import {
  appendLogs,
  defaultIdempotencyKey,
  heartbeat,
  logRows,
  storedUpload,
  storeResultWithChecks,
  uploadReceipt,
  type UploadReceipt,
} from "./service";

/**
 * The agent write path (docs/performance-budget.md: ≥ 1,000 results/s on one instance). Every
 * result upload, log batch, heartbeat and batch upload (the extension that carries all three)
 * comes through agentWrite(): on the happy path it is one SQL statement — the job and task
 * checks run inside it, as a guard on every write — so one request is one database round trip
 * at most (plus, once per node and instance, reading its task's facts when another instance
 * registered it, and the machine's own history for its first quick_mark); requests that arrive
 * together share one (writeGrouped). Anything unusual (job ended, expired or deleted, token replaced, task unknown or ended) takes
 * the general path, the services with every check and its precise error and side effect.
 */

/** One part's outcome in a batch answer: the status and body its single call would have answered. */
export interface ItemError {
  status: number;
  error: { code: string; message: string; details?: unknown };
}
export type ResultOutcome = ({ status: 200 | 201 } & UploadReceipt) | ItemError;
export type LogsOutcome = { status: 200 | 202; accepted: number } | ItemError;
export type HeartbeatOutcome = { status: 200; job_state: string; task_state: string; continue: boolean } | ItemError;

export interface AgentWriteOutcome {
  results?: ResultOutcome[];
  logs?: LogsOutcome;
  heartbeat?: HeartbeatOutcome;
}

export function isItemError(o: { status: number }): o is ItemError {
  return o.status >= 400;
}

function itemError(err: unknown): ItemError {
  if (!(err instanceof ApiError)) throw err;
  return {
    status: err.status,
    error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) },
  };
}

async function settle<T>(work: () => Promise<T>): Promise<T | ItemError> {
  try {
    return await work();
  } catch (err) {
    return itemError(err);
  }
}

export interface AgentWrite {
  results?: { input: UploadResultInput; key: string | null }[];
  logs?: BatchUploadInput["logs"];
  heartbeat?: BatchUploadInput["heartbeat"];
  /** The batch's Idempotency-Key: its log lines are stored once however often it is sent. */
  batchKey?: string | null;
}

interface PreparedResult {
  n: number;
  key: string;
  benchmarkId: string;
  state: string;
  /** The row as a JSON object, for jsonb_to_recordset. */
  row?: string;
  error?: ItemError;
}

async function prepareResults(db: Db, taskId: bigint, f: TaskFacts, write: AgentWrite): Promise<PreparedResult[]> {
  const now = clock.now();
  const out: PreparedResult[] = [];
  for (const [n, { input, key: given }] of (write.results ?? []).entries()) {
    const key = given ?? input.idempotency_key ?? defaultIdempotencyKey(taskId, input);
    const base = { n, key, benchmarkId: input.benchmark_id, state: input.state };
    if (!f.benchmarks.has(input.benchmark_id)) {
      const err = new ValidationError(`Benchmark '${input.benchmark_id}' is not part of job ${f.jobId}`);
      out.push({ ...base, error: itemError(err) });
      continue;
    }
    const def = findBenchmark(input.benchmark_id)!;
    let performance: unknown;
    if (def.id === "quick_mark" && input.state === "completed" && f.gpuModel) {
      const [refs, baseline] = await Promise.all([
        loadReferencesCached(db, f.gpuModel),
        ownBaseline(db, taskId, { ...f, gpuModel: f.gpuModel }),
      ]);
      performance = scoreQuickmark(input.results, refs, performanceThreshold(), baseline);
    }
    const config = JSON.stringify(input.config ?? {});
    // Both per-GPU shapes (ours and SiliconMark's) are stored with our identity keys added.
    const results = JSON.stringify(
      (def.id === "quick_mark" ? normaliseQuickmarkResults(input.results) : input.results) ?? {},
    );
    // payload_bytes (usage accounting) counts what was stored, as the single path does.
    const bytes = Buffer.byteLength(config) + Buffer.byteLength(results) + Buffer.byteLength(input.error_message ?? "");
    // Keys left undefined are left out by JSON.stringify: SQL NULL in jsonb_to_recordset. The
    // documents, already serialized for their size, are spliced in rather than serialized again.
    const head = JSON.stringify({
      n,
      benchmark_id: def.id,
      benchmark_name: def.name,
      state: input.state,
      error_message: input.error_message ?? undefined,
      started_at: input.started_at?.toISOString(),
      ended_at: (input.ended_at ?? now).toISOString(),
      idempotency_key: key,
      payload_bytes: bytes,
      performance,
    });
    out.push({ ...base, benchmarkId: def.id, row: `${head.slice(0, -1)},"config":${config},"results":${results}}` });
  }
  return out;
}

type Row = {
  w: number;
  ok: boolean | null;
  job_state: string;
  task_state: string;
  inserted: unknown;
  prior: unknown;
  logged: number;
};
const parsed = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;

/** One request's writes, as the happy path's statement takes them. */
interface PendingWrite {
  claim: JobTokenClaim;
  taskId: bigint;
  /** Its results, each a JSON object (prepareResults). */
  rows: string[];
  write: AgentWrite;
}

/** The writes of one request as one JSON object of the statement's `w` records. */
function writeRecord(w: number, { claim, taskId, rows, write }: PendingWrite): string {
  const now = clock.now();
  const lines = write.logs ? logRows(write.logs.lines, now) : [];
  const head = JSON.stringify({
    w,
    job_id: claim.jobId.toString(),
    task_id: taskId.toString(),
    token: claim.token,
    now: now.toISOString(),
    lines: lines.map((r) => ({ ts: r.ts.toISOString(), line: r.line })),
    log_bytes: lines.reduce((sum, r) => sum + Buffer.byteLength(r.line), 0),
    beat: write.heartbeat !== undefined,
    progress: write.heartbeat?.progress ?? undefined,
    batch_key: write.logs ? (write.batchKey ?? undefined) : undefined,
  });
  // The results are already JSON (their documents serialized once, for their size).
  return `${head.slice(0, -1)},"items":[${rows.join(",")}]}`;
}

/**
 * The happy path's one statement, for the writes of one or more requests (of different
 * tasks: see writeGrouped). `ctx` checks each one's token, deletion, liveness, expiry and task
 * state; every write below is guarded by its `ok`, so a request whose `ok` is false writes
 * nothing and takes the general path. Results insert with ON CONFLICT on (task, key): a retry
 * stores nothing and `prior` (the statement's snapshot) names the stored row. The batch key
 * row decides whether the log lines are new; each task row gets its log bytes, heartbeat and
 * live quick_mark verdict in one update. One row per request that found its job and task.
 */
async function writeOnce(db: Db, writes: PendingWrite[]): Promise<(Row | null)[]> {
  const records = `[${writes.map((w, i) => writeRecord(i, w)).join(",")}]`;
  const rows = await directQuery<Row>(
    db,
    Prisma.sql`
    WITH w AS MATERIALIZED (
      SELECT * FROM jsonb_to_recordset(${records}::jsonb) AS w(
        w int, job_id bigint, task_id bigint, token text, now timestamptz, items jsonb, lines jsonb,
        log_bytes bigint, beat boolean, progress jsonb, batch_key text)
    ), ctx AS MATERIALIZED (
      SELECT w.w, w.task_id, j.state AS job_state, t.state AS task_state,
             (j.token = w.token AND j.deleted_at IS NULL AND j.state = ANY(${LIVE_STATES as string[]}::text[])
              AND j.expires_at > w.now AND t.state = 'running') AS ok
      FROM w JOIN jobs j ON j.id = w.job_id JOIN tasks t ON t.id = w.task_id AND t.job_id = j.id
    ), ok AS MATERIALIZED (
      SELECT w.* FROM w JOIN ctx c ON c.w = w.w WHERE c.ok
    ), items AS MATERIALIZED (
      SELECT ok.job_id, ok.task_id, ok.now, r.* FROM ok, jsonb_to_recordset(ok.items) AS r(
        n int, benchmark_id text, benchmark_name text, config jsonb, results jsonb, state text, error_message text,
        started_at timestamptz, ended_at timestamptz, idempotency_key text, payload_bytes int, performance jsonb)
    ), ins AS (
      INSERT INTO benchmark_results (job_id, task_id, benchmark_id, benchmark_name, config, results, state, error_message,
                                     started_at, ended_at, idempotency_key, created_at, payload_bytes)
      SELECT i.job_id, i.task_id, i.benchmark_id, i.benchmark_name, i.config, i.results, i.state, i.error_message,
             i.started_at, i.ended_at, i.idempotency_key, i.now, i.payload_bytes
      FROM items i ORDER BY i.task_id, i.n
      ON CONFLICT (task_id, idempotency_key) DO NOTHING
      RETURNING id, task_id, idempotency_key
    ), prior AS (
      SELECT b.id, b.task_id, b.idempotency_key, b.benchmark_id, b.state FROM benchmark_results b
      JOIN (SELECT DISTINCT task_id, idempotency_key FROM items) k ON b.task_id = k.task_id AND b.idempotency_key = k.idempotency_key
    ), batch AS (
      INSERT INTO task_batches (task_id, idempotency_key, created_at)
      SELECT ok.task_id, ok.batch_key, ok.now FROM ok WHERE ok.batch_key IS NOT NULL
      ON CONFLICT DO NOTHING
      RETURNING task_id
    ), logged AS (
      INSERT INTO job_logs (job_id, task_id, ts, line)
      SELECT ok.job_id, ok.task_id, l.ts, l.line
      FROM ok, ROWS FROM (jsonb_to_recordset(ok.lines) AS (ts timestamptz, line text)) WITH ORDINALITY AS l(ts, line, n)
      WHERE ok.batch_key IS NULL OR ok.task_id IN (SELECT task_id FROM batch)
      ORDER BY ok.task_id, l.n
      RETURNING task_id
    ), verdict AS (
      SELECT DISTINCT ON (i.task_id) i.task_id, i.performance
      FROM items i JOIN ins ON ins.task_id = i.task_id AND ins.idempotency_key = i.idempotency_key
      WHERE i.performance IS NOT NULL ORDER BY i.task_id, i.n DESC
    ), touched AS (
      UPDATE tasks t SET
        bytes_uploaded = t.bytes_uploaded + CASE WHEN EXISTS (SELECT 1 FROM logged l WHERE l.task_id = t.id) THEN ok.log_bytes ELSE 0 END,
        last_heartbeat_at = CASE WHEN ok.beat THEN ok.now ELSE t.last_heartbeat_at END,
        progress = CASE WHEN ok.beat AND ok.progress IS NOT NULL THEN ok.progress ELSE t.progress END,
        performance = COALESCE((SELECT v.performance FROM verdict v WHERE v.task_id = t.id), t.performance)
      FROM ok
      WHERE t.id = ok.task_id
        AND (ok.beat OR EXISTS (SELECT 1 FROM logged l WHERE l.task_id = t.id) OR EXISTS (SELECT 1 FROM verdict v WHERE v.task_id = t.id))
    )
    SELECT c.w, c.ok, c.job_state, c.task_state,
      (SELECT coalesce(json_agg(json_build_object('id', id::text, 'key', idempotency_key)), '[]'::json) FROM ins WHERE ins.task_id = c.task_id) AS inserted,
      (SELECT coalesce(json_agg(json_build_object('id', id::text, 'key', idempotency_key, 'benchmark_id', benchmark_id, 'state', state)), '[]'::json)
       FROM prior p WHERE p.task_id = c.task_id) AS prior,
      (SELECT count(*)::int FROM logged l WHERE l.task_id = c.task_id) AS logged
    FROM ctx c`,
    "benchboard_agent_write",
  );
  const byWrite = new Map(rows.map((r) => [Number(r.w), r]));
  return writes.map((_, i) => {
    const row = byWrite.get(i);
    return row?.ok ? row : null;
  });
}

/**
 * Requests' writes that arrive while others are in the database leave together, as one
 * statement (lib/util/coalesce.ts): on a 2-core VM, sending a statement and waking PostgreSQL
 * for it was most of an upload's server CPU (docs/performance-budget.md). A task has one write
 * in flight at a time, so one statement never touches a task row twice and two never wait on
 * each other's task rows. If a group's statement fails, each of its requests is tried alone.
 */
const GROUP = { maxGroup: 64, maxInFlight: 2 };

/** Per process (every route's bundle shares it, lib/ops/global.ts) and database. */
const groupedWrites = () =>
  processSingleton("agent-write-groups", () => ({
    byDb: new WeakMap<Db, (w: PendingWrite) => Promise<Row | null>>(),
    size: new Histogram({
      name: "benchboard_agent_write_requests_per_statement",
      help: "Agent requests (uploads, log batches, heartbeats) written by one statement of this instance",
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers: [requestMetrics().registry],
    }),
  }));

function writeGrouped(db: Db, w: PendingWrite): Promise<Row | null> {
  const groups = groupedWrites();
  let write = groups.byDb.get(db);
  if (!write) {
    write = coalesce(
      (writes: PendingWrite[]) => {
        groups.size.observe(writes.length);
        return writeOnce(db, writes);
      },
      { key: (w) => w.taskId.toString(), ...GROUP },
    );
    groups.byDb.set(db, write);
  }
  return write(w);
}

/**
 * Stores what one request of a node carries (any of: results, log lines, a heartbeat) and
 * answers each part as its single call would. Whole-request errors (401 token, 404 task)
 * are thrown; a part's own error is its outcome.
 */
export async function agentWrite(
  db: Db,
  claim: JobTokenClaim,
  taskId: bigint,
  write: AgentWrite,
): Promise<AgentWriteOutcome> {
  const f = await taskFacts(db, claim.jobId, taskId);
  if (f) {
    const prepared = await prepareResults(db, taskId, f, write);
    const rows = prepared.flatMap((p) => (p.row ? [p.row] : []));
    const row = await writeGrouped(db, { claim, taskId, rows, write });
    if (row) return await fastAnswer(db, taskId, write, prepared, row);
  }
  return generalPath(db, claim, taskId, write);
}

async function fastAnswer(
  db: Db,
  taskId: bigint,
  write: AgentWrite,
  prepared: PreparedResult[],
  row: Row,
): Promise<AgentWriteOutcome> {
  const out: AgentWriteOutcome = {};
  if (write.logs) {
    const repeated = write.batchKey != null && row.logged === 0;
    out.logs = repeated
      ? { status: 200, accepted: logRows(write.logs.lines, clock.now()).length }
      : { status: 202, accepted: row.logged };
  }
  if (write.results) {
    const inserted = new Map(parsed<{ id: string; key: string }[]>(row.inserted).map((r) => [r.key, r.id]));
    const prior = new Map(
      parsed<{ id: string; key: string; benchmark_id: string; state: string }[]>(row.prior).map((r) => [r.key, r]),
    );
    const answered = new Set<string>();
    out.results = [];
    for (const p of prepared) {
      if (p.error) {
        out.results.push(p.error);
        continue;
      }
      const id = inserted.get(p.key);
      // A key repeated within the batch is stored once; its later items answer as retries.
      if (id && !answered.has(p.key)) {
        answered.add(p.key);
        out.results.push({ status: 201, ...uploadReceipt(BigInt(id), p.benchmarkId, p.state) });
        continue;
      }
      const stored = prior.get(p.key);
      const receipt = stored
        ? uploadReceipt(BigInt(stored.id), stored.benchmark_id, stored.state)
        : id
          ? uploadReceipt(BigInt(id), p.benchmarkId, p.state)
          : // Stored by a concurrent request after this statement's snapshot was taken.
            await storedUpload(db, taskId, p.key);
      if (!receipt) throw new Error(`Result ${p.key} of task ${taskId} was neither stored nor found`);
      out.results.push({ status: 200, ...receipt });
    }
  }
  if (write.heartbeat) out.heartbeat = { status: 200, job_state: row.job_state, task_state: "running", continue: true };
  return out;
}

/** Every check in order, as the single calls make them; the job row decides 401 first. */
async function generalPath(db: Db, claim: JobTokenClaim, taskId: bigint, write: AgentWrite) {
  const job = await db.job.findUnique({ where: { id: claim.jobId } });
  if (!job || job.deletedAt || job.token !== claim.token) throw invalidJobToken();
  const task = await db.task.findFirst({ where: { id: taskId, jobId: job.id }, select: { id: true } });
  if (!task) throw new NotFoundError(`Task ${taskId} not found in job ${job.id}`);
  const out: AgentWriteOutcome = {};
  if (write.logs) {
    const lines = write.logs.lines;
    out.logs = await settle(async () => {
      const { accepted, repeated } = await appendLogs(db, job, taskId, lines, write.batchKey ?? null);
      return { status: repeated ? 200 : 202, accepted } as const;
    });
  }
  if (write.results) {
    out.results = [];
    for (const { input, key } of write.results) {
      out.results.push(
        await settle(async () => {
          const r = await storeResultWithChecks(db, job, taskId, input, key);
          return { status: r.created ? 201 : 200, ...r.result } as const;
        }),
      );
    }
  }
  if (write.heartbeat) {
    const progress = write.heartbeat.progress;
    out.heartbeat = await settle(
      async () => ({ status: 200, ...(await heartbeat(db, job, taskId, progress)) }) as const,
    );
  }
  return out;
}

/** A part's error as the single call throws it (the results, logs and heartbeat routes). */
export function throwIfError<T extends { status: number }>(o: T | undefined): Exclude<T, ItemError> {
  if (!o) throw new Error("agentWrite answered no outcome for the part it was given");
  if (isItemError(o)) {
    const e = o.error;
    throw new ApiError(o.status, e.code, e.message, e.details);
  }
  return o as Exclude<T, ItemError>;
}
