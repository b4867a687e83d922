import type { Db } from "../db/client";
import type { Job } from "../generated/prisma/client";
import { NotFoundError, ValidationError } from "../api/errors";
import type { PeersAnswer } from "./schemas";
import { readBenchmarkSequence } from "../db/json-columns";

type PeerRow = {
  id: bigint;
  machineUuid: string;
  inventory: unknown;
  state: string;
  agentHost: string | null;
  agentPort: number | null;
  progress: unknown;
};

/** Hostnames name the links in measurements; two nodes on one host get their machine id added. */
function labels(tasks: PeerRow[]): Map<bigint, string> {
  const host = (t: PeerRow) => ((t.inventory as { hostname?: unknown } | null)?.hostname as string | undefined) || null;
  const count = new Map<string, number>();
  for (const t of tasks) count.set(host(t) ?? t.machineUuid, (count.get(host(t) ?? t.machineUuid) ?? 0) + 1);
  return new Map(
    tasks.map((t) => {
      const name = host(t) ?? t.machineUuid;
      return [t.id, count.get(name)! > 1 && name !== t.machineUuid ? `${name}/${t.machineUuid}` : name];
    }),
  );
}

/**
 * GET /jobs/current/tasks/{task_id}/peers: the other nodes of the job, where their agents
 * listen, and whether all of them have reached the given benchmark step (heartbeat progress
 * step) — the moment a node may measure its links — or already uploaded its result (the
 * moment it may stop listening). Ended nodes are never waited for.
 */
export async function listPeers(db: Db, job: Job, taskId: bigint, benchmarkId: string): Promise<PeersAnswer> {
  const sequence = readBenchmarkSequence(job.benchmarkSequence);
  const stepIndex = sequence.findIndex((s) => s.benchmark_id === benchmarkId);
  if (stepIndex < 0) throw new ValidationError(`Benchmark '${benchmarkId}' is not part of job ${job.id}`);
  const tasks = await db.task.findMany({
    where: { jobId: job.id, state: { not: "rejected" } },
    select: {
      id: true,
      machineUuid: true,
      inventory: true,
      state: true,
      agentHost: true,
      agentPort: true,
      progress: true,
    },
    orderBy: { id: "asc" },
  });
  const me = tasks.find((t) => t.id === taskId);
  if (!me) throw new NotFoundError(`Task ${taskId} not found in job ${job.id}`);
  const uploaded = new Set(
    (
      await db.benchmarkResult.findMany({
        where: { jobId: job.id, benchmarkId, taskId: { not: null } },
        select: { taskId: true },
        distinct: ["taskId"],
      })
    ).map((r) => r.taskId),
  );
  const names = labels(tasks);
  const view = (t: PeerRow) => {
    const ended = t.state !== "running";
    const step = Number((t.progress as { step?: unknown } | null)?.step ?? 0);
    return {
      task_id: t.id.toString(),
      machine_uuid: t.machineUuid,
      hostname: ((t.inventory as { hostname?: unknown } | null)?.hostname as string | undefined) ?? null,
      label: names.get(t.id)!,
      state: t.state,
      host: t.agentHost,
      port: t.agentPort,
      reached: ended || uploaded.has(t.id) || step >= stepIndex + 1,
      done: ended || uploaded.has(t.id),
    };
  };
  const peers = tasks.filter((t) => t.id !== taskId).map(view);
  return {
    job_state: job.state,
    node_count: job.nodeCount,
    benchmark_id: benchmarkId,
    ready: tasks.length >= job.nodeCount && peers.every((p) => p.reached),
    self: view(me),
    peers,
  };
}
