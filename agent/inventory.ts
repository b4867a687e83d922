import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import type { NodeIdentity } from "./run-node";

/** nvidia-smi --query-gpu fields, in the order the CSV answer lists them. */
export const GPU_QUERY_FIELDS = [
  "index",
  "name",
  "uuid",
  "serial",
  "pci.bus_id",
  "memory.total",
  "driver_version",
  "pcie.link.gen.current",
  "pcie.link.gen.max",
  "pcie.link.width.current",
  "pcie.link.width.max",
  "clocks.max.sm",
  "clocks.max.mem",
  "power.limit",
  "ecc.mode.current",
] as const;

export interface GpuInventory {
  index: number;
  name: string;
  uuid: string | null;
  serial: string | null;
  pci_bus_id: string | null;
  memory_total_mib: number | null;
  driver_version: string | null;
  pcie_gen_current: number | null;
  pcie_gen_max: number | null;
  pcie_width_current: number | null;
  pcie_width_max: number | null;
  clocks_max_sm_mhz: number | null;
  clocks_max_memory_mhz: number | null;
  power_limit_watts: number | null;
  ecc_mode: string | null;
}

// nvidia-smi writes "[N/A]", "N/A" or "[Not Supported]" for a field the GPU does not report.
const text = (v: string | undefined) =>
  v === undefined || /^\[?(N\/A|Not Supported|Unknown Error)\]?$/i.test(v) || v === "" ? null : v;
const number = (v: string | undefined) => {
  const t = text(v);
  const n = t === null ? NaN : Number(t);
  return Number.isFinite(n) ? n : null;
};

/** Fields every driver answers: the fallback when an older nvidia-smi rejects one of the others. */
export const BASIC_GPU_QUERY_FIELDS = ["name", "memory.total", "driver_version"] as const;

type QueryField = (typeof GPU_QUERY_FIELDS)[number];

/** Parses `nvidia-smi --query-gpu=<fields> --format=csv,noheader,nounits`, one GPU a line. */
export function parseGpuQuery(csv: string, fields: readonly QueryField[] = GPU_QUERY_FIELDS): GpuInventory[] {
  return csv
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line, i) => {
      const c = line.split(",").map((s) => s.trim());
      const at = (f: QueryField) => (fields.includes(f) ? c[fields.indexOf(f)] : undefined);
      if (c.length < fields.length || !text(at("name")))
        throw new Error(`unexpected nvidia-smi line ${i + 1}: '${line}'`);
      return {
        index: number(at("index")) ?? i,
        name: at("name")!,
        uuid: text(at("uuid")),
        serial: text(at("serial")),
        pci_bus_id: text(at("pci.bus_id")),
        memory_total_mib: number(at("memory.total")),
        driver_version: text(at("driver_version")),
        pcie_gen_current: number(at("pcie.link.gen.current")),
        pcie_gen_max: number(at("pcie.link.gen.max")),
        pcie_width_current: number(at("pcie.link.width.current")),
        pcie_width_max: number(at("pcie.link.width.max")),
        clocks_max_sm_mhz: number(at("clocks.max.sm")),
        clocks_max_memory_mhz: number(at("clocks.max.mem")),
        power_limit_watts: number(at("power.limit")),
        ecc_mode: text(at("ecc.mode.current")),
      };
    });
}

/** The CUDA version the driver supports: not a --query-gpu field, but in `nvidia-smi -q`'s header. */
export function parseCudaVersion(smiQ: string): string | null {
  return smiQ.match(/^\s*CUDA Version\s*:\s*(\S+)/m)?.[1] ?? null;
}

export class NvidiaSmiMissingError extends Error {}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { encoding: "utf8", timeout: 60_000, maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) =>
      err ? reject(Object.assign(err, { stderr })) : resolve(stdout),
    ),
  );
}

/** Every GPU of this node as nvidia-smi reports it; NvidiaSmiMissingError says what to install. */
export async function readGpus(): Promise<{ gpus: GpuInventory[]; cudaVersion: string | null }> {
  const query = (fields: readonly QueryField[]) =>
    run("nvidia-smi", [`--query-gpu=${fields.join(",")}`, "--format=csv,noheader,nounits"]).then((csv) =>
      parseGpuQuery(csv, fields),
    );
  let gpus: GpuInventory[];
  try {
    gpus = await query(GPU_QUERY_FIELDS).catch((err) =>
      (err as NodeJS.ErrnoException).code === "ENOENT" ? Promise.reject(err) : query(BASIC_GPU_QUERY_FIELDS),
    );
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT")
      throw new NvidiaSmiMissingError(
        "nvidia-smi not found: this node has no NVIDIA driver on PATH. Install the NVIDIA driver (it ships nvidia-smi), or use --simulate",
      );
    throw new NvidiaSmiMissingError(
      `nvidia-smi failed: ${(e.stderr || e.message).trim().slice(0, 300)}. Check the NVIDIA driver (nvidia-smi must list the GPUs)`,
    );
  }
  if (!gpus.length) throw new NvidiaSmiMissingError("nvidia-smi lists no GPU on this node");
  const cudaVersion = await run("nvidia-smi", ["-q"]).then(parseCudaVersion, () => null);
  return { gpus, cudaVersion };
}

export function defaultMachineId(): string {
  try {
    return fs.readFileSync("/etc/machine-id", "utf8").trim() || os.hostname();
  } catch {
    return os.hostname();
  }
}

export function primaryIpv4(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
}

function hostInventory() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? null,
    cpu_cores: cpus.length,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    os: osName(),
    kernel: os.release(),
    arch: os.arch(),
  };
}

function osName(): string {
  try {
    const pretty = fs.readFileSync("/etc/os-release", "utf8").match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1];
    if (pretty) return pretty;
  } catch {
    /* not Linux, or no os-release: the kernel name below says enough */
  }
  return `${os.type()} ${os.release()}`;
}

/** What the node registers with: identity, GPUs (first GPU's model and memory) and the full inventory. */
export function nodeIdentity(
  gpus: GpuInventory[],
  cudaVersion: string | null,
  opts: { machineId?: string; machineIp?: string },
): NodeIdentity {
  return {
    machine_uuid: opts.machineId ?? defaultMachineId(),
    machine_ip: opts.machineIp,
    hostname: os.hostname(),
    gpu_model: gpus[0]?.name ?? "unknown",
    gpu_count: gpus.length,
    gpu_memory_gb: gpus[0]?.memory_total_mib ? Math.round(gpus[0].memory_total_mib / 1024) : undefined,
    inventory: { ...hostInventory(), driver_version: gpus[0]?.driver_version ?? null, cuda_version: cudaVersion, gpus },
  };
}
