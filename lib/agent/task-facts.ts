import type { Db } from "../db/client";
import { readBenchmarkSequence } from "../db/json-columns";
import { loadOwnBaseline } from "../performance/history";
import type { OwnBaseline } from "../performance/scoring";

// What the agent write path (lib/agent/ingest.ts) keeps in memory per task, so that an upload
// needs no look-up before its one statement.

/** The facts about a task that never change once it registered: safe to keep in memory on any instance. */
export interface TaskFacts {
  jobId: bigint;
  customerId: number;
  benchmarks: Set<string>;
  gpuModel: string | null;
  machineUuid: string;
  createdAt: Date;
}

const FACTS_MAX = 20_000;
interface Store {
  facts: Map<string, TaskFacts>;
  baselines: Map<string, { at: number; baseline: OwnBaseline }>;
}
// Per database client (ids are only unique within one database), on globalThis: Next.js bundles
// each route separately, and the register route primes what the upload routes read.
const stores = ((globalThis as Record<symbol, unknown>)[Symbol.for("benchboard.taskFacts")] ??= new WeakMap<
  Db,
  Store
>()) as WeakMap<Db, Store>;

function storeOf(db: Db): Store {
  let s = stores.get(db);
  if (!s) stores.set(db, (s = { facts: new Map(), baselines: new Map() }));
  return s;
}

function remember(db: Db, taskId: bigint, f: TaskFacts): void {
  const { facts } = storeOf(db);
  if (facts.size >= FACTS_MAX) facts.delete(facts.keys().next().value!);
  facts.set(taskId.toString(), f);
}

/** Registration already has the task and job in hand: the node's first upload skips the look-up. */
export function rememberTask(
  db: Db,
  task: { id: bigint; jobId: bigint; gpuModel: string | null; machineUuid: string; createdAt: Date },
  job: { customerId: number; benchmarkSequence: unknown },
): void {
  remember(db, task.id, {
    jobId: task.jobId,
    customerId: job.customerId,
    benchmarks: new Set(readBenchmarkSequence(job.benchmarkSequence as never).map((s) => s.benchmark_id)),
    gpuModel: task.gpuModel,
    machineUuid: task.machineUuid,
    createdAt: task.createdAt,
  });
}

export async function taskFacts(db: Db, jobId: bigint, taskId: bigint): Promise<TaskFacts | null> {
  const hit = storeOf(db).facts.get(taskId.toString());
  if (hit) return hit.jobId === jobId ? hit : null;
  const [row] = await db.$queryRaw<
    {
      customer_id: number;
      benchmark_sequence: unknown;
      gpu_model: string | null;
      machine_uuid: string;
      created_at: Date;
    }[]
  >`SELECT j.customer_id, j.benchmark_sequence, t.gpu_model, t.machine_uuid, t.created_at
    FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE t.id = ${taskId} AND t.job_id = ${jobId}`;
  if (!row) return null;
  rememberTask(
    db,
    { id: taskId, jobId, gpuModel: row.gpu_model, machineUuid: row.machine_uuid, createdAt: row.created_at },
    { customerId: row.customer_id, benchmarkSequence: row.benchmark_sequence },
  );
  return storeOf(db).facts.get(taskId.toString())!;
}

// A node's own-history baseline (its machine's earlier runs) changes only when an older run of
// the machine is scored or a baseline-resetting annotation is added; it is kept a minute per
// task, the same bound as the fleet references (loadReferencesCached), so a node's retried or
// re-attempted quick_mark does not read the history again.
const BASELINE_MS = 60_000;

export async function ownBaseline(db: Db, taskId: bigint, f: TaskFacts & { gpuModel: string }): Promise<OwnBaseline> {
  const { baselines } = storeOf(db);
  const key = taskId.toString();
  const hit = baselines.get(key);
  const now = Date.now();
  if (hit && now - hit.at < BASELINE_MS) return hit.baseline;
  const baseline = await loadOwnBaseline(db, {
    customerId: f.customerId,
    machineUuid: f.machineUuid,
    gpuModel: f.gpuModel,
    taskId,
    before: f.createdAt,
  });
  if (baselines.size >= FACTS_MAX) baselines.delete(baselines.keys().next().value!);
  baselines.set(key, { at: now, baseline });
  return baseline;
}
