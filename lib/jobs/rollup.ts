import type { Prisma } from "../generated/prisma/client";
import { BENCHMARKS, findBenchmark, type BenchmarkDefinition } from "../benchmarks/catalog";
import { combine, quickmarkNodeAggregate } from "../results/quickmark";
import { clock } from "../util/clock";

type Json = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const round = (v: number) => Math.round(v * 1000) / 1000;

/** Each catalogued numeric field combined across nodes by its rule; fields no node reported are left out. */
function combineNodes(def: BenchmarkDefinition, nodeValues: Json[]): Json {
  const out: Json = {};
  for (const f of def.result_fields) {
    const values = nodeValues.map((v) => num(v[f.key])).filter((v): v is number => v !== null);
    if (values.length) out[f.key] = round(combine(values, f.aggregate));
  }
  return out;
}

/**
 * Job-level quick_mark aggregate: each metric combined across nodes by the catalog's rule,
 * from each node's aggregate — computed from its test_results where the agent left a key out.
 */
export function aggregateQuickmark(nodeResults: { gpuCount: number; results: Json }[]): Json | null {
  if (!nodeResults.length) return null;
  const totals = { node_count: nodeResults.length, gpu_count: nodeResults.reduce((a, n) => a + n.gpuCount, 0) };
  return {
    ...totals,
    ...combineNodes(
      findBenchmark("quick_mark")!,
      nodeResults.map((n) => quickmarkNodeAggregate(n.results)),
    ),
  };
}

/** Benchmarks without a bespoke roll-up (inference, fine-tuning): node figures combined by the catalog's rules. */
export function aggregateByCatalog(def: BenchmarkDefinition, nodeResults: Json[]): Json | null {
  return nodeResults.length ? { node_count: nodeResults.length, ...combineNodes(def, nodeResults) } : null;
}

interface Measurement {
  source: string;
  target: string;
  bandwidth_gbps: number;
  latency_us: number;
}

/** cluster_network across nodes: every node reports its outgoing links; the job gets the whole mesh. */
export function aggregateClusterNetwork(nodeResults: Json[], nodeCount: number): Json | null {
  const measurements: Measurement[] = [];
  const seen = new Set<string>();
  const busbw: number[] = [];
  for (const r of nodeResults) {
    for (const m of (Array.isArray(r.measurements) ? r.measurements : []) as Json[]) {
      const bw = num(m.bandwidth_gbps);
      const lat = num(m.latency_us);
      if (typeof m.source !== "string" || typeof m.target !== "string" || bw === null || lat === null) continue;
      const key = `${m.source}\u0000${m.target}`;
      if (seen.has(key)) continue;
      seen.add(key);
      measurements.push({ source: m.source, target: m.target, bandwidth_gbps: bw, latency_us: lat });
    }
    const b = num(r.busbw_gbps);
    if (b !== null) busbw.push(b);
  }
  if (!measurements.length) return null;
  const bws = measurements.map((m) => m.bandwidth_gbps);
  return {
    avg_bandwidth_gbps: round(bws.reduce((a, b) => a + b, 0) / bws.length),
    min_bandwidth_gbps: round(Math.min(...bws)),
    avg_latency: round(measurements.reduce((a, m) => a + m.latency_us, 0) / measurements.length),
    // The all-reduce is as fast as its slowest participant.
    busbw_gbps: busbw.length ? round(Math.min(...busbw)) : null,
    total_links_tested: measurements.length,
    node_count: nodeCount,
    measurements,
  };
}

/**
 * Computes and stores the job-level (task_id null) results once all nodes are done:
 * quick_mark aggregate, cluster_network mesh, GPU models. Re-running replaces them.
 */
export async function storeJobLevelResults(db: Prisma.TransactionClient, jobId: bigint): Promise<void> {
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, include: { tasks: true } });
  const results = await db.benchmarkResult.findMany({
    where: { jobId, taskId: { not: null } },
    orderBy: { id: "asc" },
  });
  const latest = new Map<string, (typeof results)[number]>();
  for (const r of results) latest.set(`${r.taskId}:${r.benchmarkId}`, r);
  const byBenchmark = (id: string) => [...latest.values()].filter((r) => r.benchmarkId === id);
  const gpuCount = new Map(job.tasks.map((t) => [t.id, t.gpuCount]));
  const now = clock.now();

  const rows: Prisma.BenchmarkResultCreateManyInput[] = [];
  for (const def of BENCHMARKS) {
    const nodeRows = byBenchmark(def.id);
    if (!nodeRows.length) continue;
    const ok = nodeRows.filter((r) => r.state === "completed");
    const aggregated =
      def.id === "quick_mark"
        ? aggregateQuickmark(
            ok.map((r) => ({ gpuCount: gpuCount.get(r.taskId!) ?? 0, results: (r.results ?? {}) as Json })),
          )
        : def.id === "cluster_network"
          ? aggregateClusterNetwork(
              ok.map((r) => (r.results ?? {}) as Json),
              job.tasks.length,
            )
          : aggregateByCatalog(
              def,
              ok.map((r) => (r.results ?? {}) as Json),
            );
    const failed = nodeRows.length - ok.length;
    const starts = nodeRows.map((r) => r.startedAt).filter((d): d is Date => !!d);
    const ends = nodeRows.map((r) => r.endedAt).filter((d): d is Date => !!d);
    rows.push({
      jobId,
      taskId: null,
      benchmarkId: def.id,
      benchmarkName: def.name,
      config: (nodeRows[0].config ?? {}) as Prisma.InputJsonValue,
      results: (aggregated ?? {}) as Prisma.InputJsonValue,
      state: ok.length === 0 ? "failed" : failed ? "completed_with_warnings" : "completed",
      errorMessage: failed ? `${failed} of ${nodeRows.length} nodes failed this benchmark` : null,
      startedAt: starts.length ? new Date(Math.min(...starts.map((d) => d.getTime()))) : null,
      endedAt: ends.length ? new Date(Math.max(...ends.map((d) => d.getTime()))) : null,
      createdAt: now,
    });
  }
  const quick = rows.find((r) => r.benchmarkId === "quick_mark");
  // Callers run this inside their job-locked transaction, so replace-all is race-free.
  await db.benchmarkResult.deleteMany({ where: { jobId, taskId: null } });
  await db.benchmarkResult.createMany({ data: rows });
  await db.job.update({
    where: { id: jobId },
    data: {
      quickmarkAggregate: quick && quick.state !== "failed" ? (quick.results as Prisma.InputJsonValue) : undefined,
    },
  });
}
