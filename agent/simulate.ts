import { QUICKMARK_METRICS, type MetricValues } from "../lib/performance/metrics";
import { vendorSpec } from "../lib/performance/vendor-specs";

/** Seeded PRNG (mulberry32) so simulated fleets are reproducible. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (mean: number, sd: number) =>
    mean + sd * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, normal, pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}
export type Rng = ReturnType<typeof rng>;

export const SIMULATED_GPU_MODELS = [
  "NVIDIA H100 80GB HBM3",
  "NVIDIA H100 NVL",
  "NVIDIA A100-SXM4-80GB",
  "NVIDIA A100-SXM4-40GB",
  "NVIDIA L40S",
  "NVIDIA H200",
] as const;

/** Conditions planted on one simulated node (the demo's fleet stories). */
export interface NodeEffects {
  /** Multiplies every GPU's memory bandwidth: a slow HBM drift. */
  memoryBandwidthFactor?: number;
  /** Multiplies every GPU's tensor throughput: clocks stuck low. */
  computeFactor?: number;
  /** One GPU that throttles: its compute and memory figures times `factor`, and it runs hot. */
  throttledGpu?: { index: number; factor: number };
  /** Links to these peers (by hostname) carry only this fraction of the usual bandwidth: a bad cable. */
  slowLinks?: Record<string, number>;
}

export interface SimulatedNode {
  machine_uuid: string;
  machine_ip: string;
  hostname: string;
  gpu_model: string;
  gpu_count: number;
  gpu_memory_gb: number;
  degraded: boolean;
  inventory: Record<string, unknown>;
  effects?: NodeEffects;
}

/** What the agent reports when it registers: the node without the simulator's knobs. */
export function nodeIdentity(node: SimulatedNode) {
  const { degraded: _d, effects: _e, ...identity } = node;
  return identity;
}

const COMPUTE_AND_MEMORY: readonly string[] = [
  "bf16_tflops",
  "fp16_tflops",
  "mixed_precision_tflops",
  "memory_bandwidth_gbs",
];

const VRAM: [RegExp, number][] = [
  [/80GB|H100/i, 80],
  [/NVL/i, 94],
  [/H200/i, 141],
  [/40GB/i, 40],
  [/L40S/i, 48],
  [/B200/i, 192],
];

export function uuidFrom(r: Rng): string {
  const hex = () => Math.floor(r.next() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join("");
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

export function simulatedNodes(opts: {
  gpuModel: string;
  nodes: number;
  degraded: number;
  seed: number;
  gpuCount?: number;
}): SimulatedNode[] {
  const r = rng(opts.seed);
  const vram = VRAM.find(([re]) => re.test(opts.gpuModel))?.[1] ?? 80;
  const gpuCount = opts.gpuCount ?? (/L40S/i.test(opts.gpuModel) ? 4 : 8);
  const rack = 1 + Math.floor(r.next() * 40);
  return Array.from({ length: opts.nodes }, (_, i) => ({
    machine_uuid: uuidFrom(r),
    machine_ip: `10.${rack}.${Math.floor(i / 250)}.${(i % 250) + 2}`,
    hostname: `gpu-r${rack}-n${String(i + 1).padStart(3, "0")}`,
    gpu_model: opts.gpuModel,
    gpu_count: gpuCount,
    gpu_memory_gb: vram,
    // The last K nodes are the degraded ones, so a test knows which.
    degraded: i >= opts.nodes - opts.degraded,
    inventory: {
      cpu: r.pick(["AMD EPYC 9654 96-Core", "Intel Xeon Platinum 8480+", "AMD EPYC 7763 64-Core"]),
      cpu_cores: r.pick([128, 192, 224]),
      memory_gb: r.pick([1024, 2048]),
      driver_version: r.pick(["550.90.07", "560.35.03", "570.124.06"]),
      cuda_version: r.pick(["12.4", "12.6", "12.8"]),
      os: "Ubuntu 22.04.4 LTS",
      simulated: true,
    },
  }));
}

/** A node's quick_mark result: per-GPU figures around its model's healthy values. */
export function simulateQuickmark(node: SimulatedNode, r: Rng): Record<string, unknown> {
  const base: MetricValues = vendorSpec(node.gpu_model)?.values ?? vendorSpec("H100")!.values;
  // Degraded nodes lose compute or memory bandwidth (thermal throttling, bad HBM, clocks).
  const slowdown = node.degraded ? 0.6 + r.next() * 0.2 : 1;
  const test_results = Array.from({ length: node.gpu_count }, (_, gpu) => {
    const row: Record<string, unknown> = { gpu_index: gpu, gpu_name: node.gpu_model };
    for (const m of QUICKMARK_METRICS) {
      const v = base[m];
      if (v === undefined) continue;
      const noise = r.normal(1, m === "temperature_centigrade" ? 0.05 : 0.015);
      const throttled = node.effects?.throttledGpu?.index === gpu;
      const hit = COMPUTE_AND_MEMORY.includes(m)
        ? (node.degraded ? slowdown : 1) * (throttled ? node.effects!.throttledGpu!.factor : 1)
        : 1;
      const drift = m === "memory_bandwidth_gbs" ? (node.effects?.memoryBandwidthFactor ?? 1) : 1;
      const clocks =
        m !== "memory_bandwidth_gbs" && COMPUTE_AND_MEMORY.includes(m) ? (node.effects?.computeFactor ?? 1) : 1;
      const heat = m === "temperature_centigrade" && (node.degraded || throttled) ? 1.25 : 1;
      row[m] = Math.round(v * noise * hit * drift * clocks * heat * 100) / 100;
    }
    return row;
  });
  const aggregate_results: Record<string, number> = {};
  for (const m of QUICKMARK_METRICS) {
    const values = test_results.map((t) => t[m]).filter((v): v is number => typeof v === "number");
    if (!values.length) continue;
    const sum = values.reduce((a, b) => a + b, 0);
    aggregate_results[m] =
      Math.round(
        (m === "temperature_centigrade"
          ? Math.max(...values)
          : m === "kernel_launch_overhead_us"
            ? sum / values.length
            : sum) * 100,
      ) / 100;
  }
  return { gpu_model: node.gpu_model, gpu_count: node.gpu_count, test_results, aggregate_results };
}

/** A node's cluster_network result: its links to every other node of the job. */
export function simulateClusterNetwork(node: SimulatedNode, peers: SimulatedNode[], r: Rng): Record<string, unknown> {
  const fabric = /A100/i.test(node.gpu_model) ? 200 : 400; // HDR vs NDR InfiniBand, Gbps
  const measurements = peers
    .filter((p) => p.machine_uuid !== node.machine_uuid)
    .map((p) => {
      // A link is as slow as its worse end says: either node may carry the planted bad cable.
      const slowLink = Math.min(node.effects?.slowLinks?.[p.hostname] ?? 1, p.effects?.slowLinks?.[node.hostname] ?? 1);
      const slow = (node.degraded || p.degraded ? 0.7 : 1) * slowLink;
      return {
        source: node.hostname,
        target: p.hostname,
        bandwidth_gbps: Math.round(fabric * 0.93 * slow * r.normal(1, 0.01) * 10) / 10,
        latency_us: Math.round(r.normal(node.degraded ? 4.5 : 2.6, 0.15) * 100) / 100,
      };
    });
  return {
    measurements,
    busbw_gbps: Math.round(fabric * 0.85 * (peers.some((p) => p.degraded) ? 0.7 : 1) * r.normal(1, 0.01) * 10) / 10,
  };
}
