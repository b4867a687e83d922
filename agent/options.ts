import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

/** The agent's command line, parsed once into typed options (node:util parseArgs). */
export const HELP = `Benchboard agent: joins a job as a GPU node, runs its benchmarks and uploads the results.

Usage:
  node benchboard-agent.mjs --url URL --token JOB_TOKEN [options]
  node benchboard-agent.mjs service --url URL --enroll-token TOKEN [options]
  npm run agent -- --url URL --token JOB_TOKEN [options]

Service mode (an enrolled machine that runs the jobs aimed at it, until stopped):
  service                   Enroll this machine once, then wait for work, run it, wait again
  --enroll-token TOKEN      Enrollment token from the dashboard (or env BENCHBOARD_ENROLL_TOKEN,
                            which keeps it out of the process list); only needed to enroll
  --state-file PATH         Where the machine credential is kept after enrolling (default
                            /var/lib/benchboard-agent/state.json as root, else
                            ~/.config/benchboard-agent/state.json); delete it to enroll again

Connection:
  --url URL                 Dashboard base URL (or env BENCHBOARD_URL)
  --token TOKEN             The job's token (or env BENCHBOARD_JOB_TOKEN; -api-key TOKEN also works)

Real node (default):
  --machine-id ID           Node identity (default /etc/machine-id); lets several agents share a host
  --bench-cmd CMD           Run CMD <benchmark_id> '<config json>' for every benchmark
  --runner ID=CMD           Run CMD for benchmark ID only (repeatable; wins over --bench-cmd)
  --python PATH             Interpreter of the built-in runners (default python3)
  --device cuda|cpu         Device of the built-in quick_mark runner (default cuda; cpu is a
                            smoke test with tiny sizes, its results are never scored)
  --listen-port PORT        TCP port peers use for cluster_network (default: any free port)
  --listen-address IP       Address to listen on and tell peers (default: this node's IP)
  --dry-run                 Print the inventory and planned steps, check each runner's
                            prerequisites, register nothing (exit 3 when one is missing)

Simulation (any machine):
  --simulate                Play simulated nodes instead of measuring this one
  --gpu MODEL               Simulated GPU model (default "NVIDIA H100 80GB HBM3")
  --nodes N                 Simulated nodes (default: the job's node_count)
  --degraded N              How many of them underperform (default 0)
  --seed N                  Seed of the simulated figures
  --gpu-count N             GPUs per simulated node
  --fail BENCH[@NODE],...   Make simulated nodes fail a benchmark

  --version                 Print the agent version
  --help                    Print this help

Exit status: 0 every benchmark completed; 1 a benchmark or the node failed; 2 bad usage;
3 a prerequisite (nvidia-smi, python3, PyTorch, CUDA, a GPU) is missing; 4 (service) the
server refused the enrollment token or the machine credential (revoked, or machine removed).`;

export class UsageError extends Error {}

export interface AgentOptions {
  /** `run` joins one job (--token); `service` enrolls and keeps running the jobs aimed at this machine. */
  command: "run" | "service";
  url?: string;
  token?: string;
  enrollToken?: string;
  stateFile: string;
  help: boolean;
  version: boolean;
  dryRun: boolean;
  simulate: boolean;
  machineId?: string;
  benchCmd?: string;
  runners: Record<string, string>;
  python: string;
  device: "cuda" | "cpu";
  listenPort: number;
  listenAddress?: string;
  sim: { gpu: string; nodes?: number; degraded: number; seed?: number; gpuCount?: number; failures: string[] };
}

/** The vendor's agent takes `-api-key TOKEN`; a single-dash long flag parseArgs would read as -a -p -i … */
function vendorAliases(argv: string[]): string[] {
  return argv.map((a) =>
    a === "-api-key" ? "--token" : a.startsWith("-api-key=") ? `--token=${a.slice("-api-key=".length)}` : a,
  );
}

function int(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer between ${min} and ${max}`);
  return n;
}

export function parseAgentArgs(argv: string[], env: Record<string, string | undefined> = process.env): AgentOptions {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: vendorAliases(argv),
      strict: true,
      allowPositionals: true,
      options: {
        url: { type: "string" },
        token: { type: "string" },
        "enroll-token": { type: "string" },
        "state-file": { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
        "dry-run": { type: "boolean" },
        simulate: { type: "boolean" },
        "machine-id": { type: "string" },
        "bench-cmd": { type: "string" },
        runner: { type: "string", multiple: true },
        python: { type: "string" },
        device: { type: "string" },
        "listen-port": { type: "string" },
        "listen-address": { type: "string" },
        gpu: { type: "string" },
        nodes: { type: "string" },
        degraded: { type: "string" },
        seed: { type: "string" },
        "gpu-count": { type: "string" },
        fail: { type: "string" },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (see --help)`);
  }
  const [command = "run", ...extra] = positionals;
  if ((command !== "run" && command !== "service") || extra.length)
    throw new UsageError(
      `Unknown command '${[command, ...extra].join(" ")}': the only command is 'service' (see --help)`,
    );
  const runners: Record<string, string> = {};
  for (const spec of values.runner ?? []) {
    const m = spec.match(/^([\w.-]+)=(.+)$/s);
    if (!m) throw new UsageError(`--runner takes BENCHMARK_ID=CMD, got '${spec}'`);
    runners[m[1]] = m[2];
  }
  const device = values.device ?? "cuda";
  if (device !== "cuda" && device !== "cpu") throw new UsageError("--device must be cuda or cpu");
  const machineId = values["machine-id"];
  if (machineId !== undefined && !/^[\w.:-]{1,128}$/.test(machineId))
    throw new UsageError("--machine-id may contain letters, digits, . : _ - (at most 128)");
  return {
    command,
    url: values.url ?? env.BENCHBOARD_URL,
    token: values.token ?? env.BENCHBOARD_JOB_TOKEN,
    enrollToken: values["enroll-token"] ?? env.BENCHBOARD_ENROLL_TOKEN,
    stateFile: values["state-file"] ?? defaultStateFile(env),
    help: values.help ?? false,
    version: values.version ?? false,
    dryRun: values["dry-run"] ?? false,
    simulate: values.simulate ?? false,
    machineId,
    benchCmd: values["bench-cmd"],
    runners,
    python: values.python ?? "python3",
    device,
    listenPort: int("listen-port", values["listen-port"], 0, 65535) ?? 0,
    listenAddress: values["listen-address"],
    sim: {
      gpu: values.gpu ?? "NVIDIA H100 80GB HBM3",
      nodes: int("nodes", values.nodes, 1, 256),
      degraded: int("degraded", values.degraded, 0, 256) ?? 0,
      seed: int("seed", values.seed, 0, 2 ** 31),
      gpuCount: int("gpu-count", values["gpu-count"], 1, 64),
      failures: values.fail ? values.fail.split(",") : [],
    },
  };
}

/** Root keeps the credential with the system's state; anyone else in their own config folder. */
export function defaultStateFile(
  env: Record<string, string | undefined>,
  uid = typeof process.getuid === "function" ? process.getuid() : -1,
): string {
  if (uid === 0) return "/var/lib/benchboard-agent/state.json";
  const config = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), ".config");
  return path.join(config, "benchboard-agent", "state.json");
}
