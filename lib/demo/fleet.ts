import { rng, uuidFrom, type SimulatedNode } from "../../agent/simulate";

/**
 * The demo customers' fixed fleets: racks of machines that run job after job, so every
 * machine builds a history. Identities (UUID, IP, inventory) are derived from the hostname,
 * so they are the same on every seed.
 */
export interface DemoRack {
  customer: string;
  rack: number;
  gpuModel: string;
  nodes: number;
  /** Racks wired as one cluster get a weekly multi-node job with cluster_network. */
  cluster: boolean;
}

export const DEMO_RACKS: readonly DemoRack[] = [
  { customer: "Acme GPU Cloud", rack: 12, gpuModel: "NVIDIA H100 80GB HBM3", nodes: 8, cluster: true },
  { customer: "Acme GPU Cloud", rack: 14, gpuModel: "NVIDIA A100-SXM4-80GB", nodes: 4, cluster: false },
  { customer: "Globex Compute", rack: 3, gpuModel: "NVIDIA H200", nodes: 4, cluster: true },
  { customer: "Globex Compute", rack: 5, gpuModel: "NVIDIA L40S", nodes: 4, cluster: false },
];

/**
 * The planted stories (README "Demo data" says where to look). All in Acme, the customer of
 * the demo admin a visitor signs in as.
 */
export const DEMO_STORIES = {
  customer: "Acme GPU Cloud",
  /** Memory bandwidth slides this fraction per week over the whole history. */
  drift: { hostname: "gpu-r12-n003", perWeek: 0.01 },
  /** One GPU at a fraction of its peers' compute and memory bandwidth, on every run. */
  throttling: { hostname: "gpu-r12-n006", gpuIndex: 5, factor: 0.72 },
  /** Fails, is repaired (a job tagged "maintenance" carries the note) and runs clean again. */
  maintenance: {
    hostname: "gpu-r14-n002",
    tag: "maintenance",
    note: "Maintenance: GPU 2 replaced after uncorrectable HBM ECC errors; NVLink bridge reseated. Re-validation run.",
  },
  /** Clocks stuck low in every run from this fraction of the history on: the fleet list's problem, first when sorted by status. */
  repeatOffender: { hostname: "gpu-r12-n005", computeFactor: 0.78, since: 0.7 },
  /** A bad cable between two nodes of the weekly cluster job, from this fraction of the history on. */
  slowLink: { from: "gpu-r12-n007", to: "gpu-r12-n008", factor: 0.55, since: 0.6 },
} as const;

export const hostnameOf = (rack: number, node: number) => `gpu-r${rack}-n${String(node).padStart(3, "0")}`;

function hashSeed(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

const VRAM_GB: Record<string, number> = {
  "NVIDIA H100 80GB HBM3": 80,
  "NVIDIA A100-SXM4-80GB": 80,
  "NVIDIA H200": 141,
  "NVIDIA L40S": 48,
};

export function demoMachine(rack: DemoRack, node: number): SimulatedNode {
  const hostname = hostnameOf(rack.rack, node);
  const r = rng(hashSeed(`${rack.customer}/${hostname}`));
  return {
    machine_uuid: uuidFrom(r),
    machine_ip: `10.${rack.rack}.0.${node + 10}`,
    hostname,
    gpu_model: rack.gpuModel,
    gpu_count: /L40S/.test(rack.gpuModel) ? 4 : 8,
    gpu_memory_gb: VRAM_GB[rack.gpuModel] ?? 80,
    degraded: false,
    inventory: {
      rack: `r${rack.rack}`,
      cpu: r.pick(["AMD EPYC 9654 96-Core", "Intel Xeon Platinum 8480+"]),
      cpu_cores: r.pick([192, 224]),
      memory_gb: 2048,
      driver_version: "550.90.07",
      cuda_version: "12.4",
      os: "Ubuntu 22.04.4 LTS",
      simulated: true,
    },
  };
}

export function demoFleet() {
  return DEMO_RACKS.map((rack) => ({
    rack,
    machines: Array.from({ length: rack.nodes }, (_, i) => demoMachine(rack, i + 1)),
  }));
}
