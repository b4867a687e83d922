import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { jobVisibilityWhere } from "../auth/visibility";
import { NotFoundError } from "../api/errors";
import { findBenchmark } from "../benchmarks/catalog";
import { QUICKMARK_METRICS, storedMetricValues } from "../performance/metrics";
import type { CompareQuery } from "./schemas";
import { NOISE_SIGMAS, noiseBand } from "../performance/robust";

/** Cluster-level figures compared for jobs (higher is better except latency). */
const NETWORK_METRICS = ["avg_bandwidth_gbps", "min_bandwidth_gbps", "busbw_gbps", "avg_latency"] as const;
const LOWER_IS_BETTER = new Set(["kernel_launch_overhead_us", "avg_latency"]);
const NEUTRAL = new Set(["power_consumption_watts", "temperature_centigrade"]);

/**
 * The configuration a difference is usually explained by, read from each node's inventory as
 * the agent sent it. Agents differ in what they send, so each field accepts a few names and
 * a missing one is simply null.
 */
const CONFIG_FIELDS: { field: string; keys: string[] }[] = [
  { field: "driver_version", keys: ["driver_version", "driver"] },
  { field: "cuda_version", keys: ["cuda_version", "cuda"] },
  { field: "pcie_link", keys: ["pcie_link", "pcie"] },
  { field: "clocks_max_sm_mhz", keys: ["clocks_max_sm_mhz", "sm_clock_max_mhz", "clocks_sm_max_mhz"] },
  { field: "power_limit_watts", keys: ["power_limit_watts", "power_limit_w", "power_limit"] },
  { field: "hostname", keys: ["hostname"] },
];

interface NodeConfig {
  gpuModel: string | null;
  gpuCount: number;
  inventory: unknown;
}

interface Item {
  kind: "job" | "task";
  id: string;
  job_id: string;
  label: string;
  performance_status: string;
  gpuModel: string | null;
  values: Record<string, number | null>;
  nodes: NodeConfig[];
}

function inventoryValue(inventory: unknown, keys: string[]): string | null {
  const inv = inventory && typeof inventory === "object" ? (inventory as Record<string, unknown>) : {};
  for (const k of keys) {
    const v = inv[k];
    if (typeof v === "string" && v.trim()) return v.trim();
    if (typeof v === "number" && Number.isFinite(v)) return String(v);
  }
  return null;
}

/** One value per item: a node's own, or a job's distinct node values joined (sorted). */
function configValue(nodes: NodeConfig[], read: (n: NodeConfig) => string | null): string | null {
  const values = [...new Set(nodes.map(read).filter((v): v is string => v !== null))].sort();
  return values.length ? values.join(", ") : null;
}

async function loadJobs(db: Db, caller: Caller, ids: string[]): Promise<Item[]> {
  const jobs = await db.job.findMany({
    where: { AND: [jobVisibilityWhere(caller), { id: { in: ids.map(BigInt) } }] },
    include: {
      tasks: {
        where: { state: { not: "rejected" } },
        select: { gpuModel: true, gpuCount: true, inventory: true },
        orderBy: { id: "asc" },
      },
      results: {
        where: { taskId: null, benchmarkId: "cluster_network", state: "completed" },
        select: { results: true },
        orderBy: { id: "desc" },
        take: 1,
      },
    },
  });
  return ids.map((id) => {
    const job = jobs.find((j) => j.id.toString() === id);
    if (!job) throw new NotFoundError(`Job with id ${id} not found`);
    const quick = storedMetricValues(job.performance);
    const network = (job.results[0]?.results ?? {}) as Record<string, unknown>;
    const values: Record<string, number | null> = {};
    for (const m of QUICKMARK_METRICS) values[m] = quick[m] ?? null;
    for (const m of NETWORK_METRICS) values[m] = typeof network[m] === "number" ? (network[m] as number) : null;
    return {
      kind: "job",
      id,
      job_id: id,
      label: job.name,
      performance_status: job.performanceStatus,
      gpuModel: job.tasks.find((t) => t.gpuModel)?.gpuModel ?? null,
      values,
      nodes: job.tasks,
    };
  });
}

async function loadTasks(db: Db, caller: Caller, ids: string[]): Promise<Item[]> {
  const tasks = await db.task.findMany({
    where: { id: { in: ids.map(BigInt) }, job: jobVisibilityWhere(caller) },
    include: { job: { select: { name: true } } },
  });
  return ids.map((id) => {
    const t = tasks.find((x) => x.id.toString() === id);
    if (!t) throw new NotFoundError(`Task with id ${id} not found`);
    const quick = storedMetricValues(t.performance);
    const values: Record<string, number | null> = {};
    for (const m of QUICKMARK_METRICS) values[m] = quick[m] ?? null;
    const status = (t.performance as { status?: string } | null)?.status ?? "unknown";
    return {
      kind: "task",
      id,
      job_id: t.jobId.toString(),
      label: `${t.job.name} · ${inventoryValue(t.inventory, ["hostname"]) ?? t.machineUuid}`,
      performance_status: status,
      gpuModel: t.gpuModel,
      values,
      nodes: [t],
    };
  });
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

/**
 * Side by side: every metric's values, the change in % against the first item, and whether
 * that change is beyond run-to-run noise — more than 3 σ of the first item's GPU model's fleet
 * band (σ ≈ 1.4826 × MAD, the band behind the performance verdicts); null where the model has
 * no band for the metric. Then the configuration of each item and which fields differ.
 */
export async function compare(db: Db, caller: Caller, q: CompareQuery) {
  const items = q.jobs ? await loadJobs(db, caller, q.jobs) : await loadTasks(db, caller, q.tasks!);
  const model = items[0].gpuModel;
  const bands = model ? await db.gpuReference.findMany({ where: { gpuModel: model } }) : [];
  const metricKeys = [...QUICKMARK_METRICS, ...(q.jobs ? NETWORK_METRICS : [])].filter((m) =>
    items.some((i) => i.values[m] !== null),
  );
  const fieldOf = (m: string) =>
    [
      ...(findBenchmark("quick_mark")?.result_fields ?? []),
      ...(findBenchmark("cluster_network")?.result_fields ?? []),
    ].find((f) => f.key === m);
  const metrics = metricKeys.map((m) => {
    const band = bands.find((b) => b.metric === m);
    const sigma = band ? (noiseBand(band.median, band.mad)?.sigma ?? null) : null;
    const base = items[0].values[m];
    const values = items.map((i) => (i.values[m] === null ? null : round(i.values[m]!, 3)));
    const delta = items.map((i, k) =>
      k === 0 || base === null || i.values[m] === null || base === 0
        ? null
        : round(((i.values[m]! - base) / base) * 100),
    );
    const beyond = items.map((i, k) =>
      k === 0 || base === null || i.values[m] === null || sigma === null
        ? null
        : Math.abs(i.values[m]! - base) > NOISE_SIGMAS * sigma,
    );
    const field = fieldOf(m);
    return {
      metric: m,
      display_name: field?.display_name ?? m,
      unit: field?.unit ?? null,
      higher_is_better: NEUTRAL.has(m) ? null : !LOWER_IS_BETTER.has(m),
      values,
      delta_pct: delta,
      beyond_noise: beyond,
      noise: sigma === null ? null : { sigma: round(sigma, 3), gpu_model: model, samples: band!.samples },
    };
  });
  const config = [
    { field: "gpu_model", values: items.map((i) => configValue(i.nodes, (n) => n.gpuModel)) },
    {
      field: "gpu_count",
      values: items.map((i) => configValue(i.nodes, (n) => (n.gpuCount ? String(n.gpuCount) : null))),
    },
    { field: "node_count", values: items.map((i) => String(i.nodes.length)) },
    ...CONFIG_FIELDS.map(({ field, keys }) => ({
      field,
      values: items.map((i) => configValue(i.nodes, (n) => inventoryValue(n.inventory, keys))),
    })),
  ].map((c) => ({ ...c, differs: new Set(c.values).size > 1 }));
  return {
    kind: q.jobs ? "jobs" : "tasks",
    items: items.map((i) => ({
      kind: i.kind,
      id: i.id,
      job_id: i.job_id,
      label: i.label,
      gpu_model: i.gpuModel,
      performance_status: i.performance_status,
    })),
    metrics,
    config,
  };
}

export type CompareResponse = Awaited<ReturnType<typeof compare>>;
