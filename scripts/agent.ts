// Benchboard agent: joins a job as a GPU node and reports results.
//   npm run agent -- --url URL --token TOKEN --bench-cmd "./run-benchmark"   (real node)
//   npm run agent -- --url URL --token TOKEN --simulate --gpu "NVIDIA H100 80GB HBM3" --nodes 4 [--degraded 1] [--seed 7] [--fail cluster_network@0]
// Real mode reads the inventory from nvidia-smi and runs `<bench-cmd> <benchmark_id> '<config json>'`
// per benchmark, which must print {"state":"completed"|"failed","results":{…},"error_message":…} on stdout.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { AgentClient } from "../lib/agent/client";
import { registerNode, runRegisteredNode, type AgentEvent, type NodeIdentity, type Producer } from "../lib/agent/run-node";
import { simulateJob } from "../lib/agent/simulate-job";
import { parseArgs } from "./cli-args";

const args = parseArgs(process.argv.slice(2), {
  url: "string", token: "string", simulate: "boolean", gpu: "string", nodes: "string", degraded: "string", seed: "string", fail: "string", "bench-cmd": "string", "gpu-count": "string",
});

function fail(msg: string): never {
  console.error(`error: ${msg}`);
  process.exit(2);
}
const intArg = (name: string, def: number, min: number, max: number) => {
  const raw = args[name];
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer between ${min} and ${max}`);
  return n;
};

const url = (args.url as string | undefined) ?? process.env.BENCHBOARD_URL ?? fail("--url is required (the dashboard's base URL)");
const token = (args.token as string | undefined) ?? process.env.BENCHBOARD_JOB_TOKEN ?? fail("--token is required (the job token shown when the job was created)");
const client = new AgentClient({
  baseUrl: url,
  token,
  onRetry: ({ attempt, error, path }) => console.error(`  ! ${path}: ${error}; retry ${attempt} with backoff`),
});

let done = 0;
let total = 0;
function progress(e: AgentEvent) {
  const node = e.node.slice(0, 8);
  if (e.type === "registered") console.log(`  + node ${node} joined (task ${e.taskId})`);
  if (e.type === "benchmark") console.log(`  · node ${node} ${e.benchmark} [${e.step}/${e.steps}] ${e.state}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}`);
  if (e.type === "finished") console.log(`  ✓ node ${node} finished: ${e.state} — ${++done}/${total} nodes done, job ${e.jobState}`);
  if (e.type === "stopped") console.log(`  ■ node ${node} stopped: job is ${e.jobState}`);
}

function realInventory(): NodeIdentity {
  let rows: string[][];
  try {
    const out = execFileSync("nvidia-smi", ["--query-gpu=name,memory.total,driver_version", "--format=csv,noheader,nounits"], { encoding: "utf8" });
    rows = out.trim().split("\n").map((l) => l.split(",").map((s) => s.trim()));
  } catch {
    fail("nvidia-smi not found or failed: run on a GPU node, or use --simulate");
  }
  const machineId = fs.existsSync("/etc/machine-id") ? fs.readFileSync("/etc/machine-id", "utf8").trim() : os.hostname();
  const ip = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === "IPv4" && !i.internal)?.address;
  return {
    machine_uuid: machineId,
    machine_ip: ip,
    hostname: os.hostname(),
    gpu_model: rows[0][0],
    gpu_count: rows.length,
    gpu_memory_gb: Math.round(Number(rows[0][1]) / 1024),
    inventory: { cpu: os.cpus()[0]?.model, cpu_cores: os.cpus().length, memory_gb: Math.round(os.totalmem() / 2 ** 30), driver_version: rows[0][2], os: `${os.type()} ${os.release()}` },
  };
}

function commandProducer(cmd: string): Producer {
  return async (step) => {
    // The config's `timeout` (seconds, SiliconMark's key) bounds the run: the program is killed and the benchmark fails.
    const timeoutS = typeof step.config?.timeout === "number" ? step.config.timeout : undefined;
    const r = spawnSync(cmd, [step.benchmark_id, JSON.stringify(step.config ?? {})], { encoding: "utf8", shell: false, maxBuffer: 64 * 2 ** 20, timeout: timeoutS ? timeoutS * 1000 : undefined });
    if (r.error && timeoutS && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT") return { state: "failed", error_message: `${cmd} ran past the benchmark's timeout of ${timeoutS} s and was stopped` };
    if (r.error || r.status !== 0) return { state: "failed", error_message: `${cmd} exited ${r.status ?? r.error?.message}: ${(r.stderr ?? "").slice(-500)}` };
    try {
      const out = JSON.parse(r.stdout);
      return { state: out.state === "failed" ? "failed" : "completed", results: out.results ?? null, error_message: out.error_message ?? null };
    } catch {
      return { state: "failed", error_message: `${cmd} did not print JSON` };
    }
  };
}

async function main() {
  const job = await client.currentJob();
  console.log(`Job ${job.id} "${job.name}" (${job.state}), ${job.node_count} node(s): ${job.benchmark_sequence.map((s) => s.benchmark_id).join(", ")}`);
  if (args.simulate) {
    const gpu = (args.gpu as string | undefined) ?? "NVIDIA H100 80GB HBM3";
    const nodes = intArg("nodes", job.node_count, 1, 256);
    total = nodes;
    const result = await simulateJob(client, {
      gpuModel: gpu,
      nodes,
      degraded: intArg("degraded", 0, 0, nodes),
      seed: intArg("seed", Date.now() % 100000, 0, 2 ** 31),
      gpuCount: args["gpu-count"] ? intArg("gpu-count", 8, 1, 64) : undefined,
      failures: args.fail ? String(args.fail).split(",") : [],
      onEvent: progress,
    });
    const stopped = result.outcomes.filter((o) => o.state === "stopped").length;
    console.log(`Done: ${result.outcomes.length - stopped} node(s) ran, job is ${(await client.currentJob()).state}`);
    return;
  }
  const cmd = args["bench-cmd"] as string | undefined;
  if (!cmd) fail("no benchmark runner: pass --bench-cmd PROGRAM (or --simulate)");
  const node = realInventory();
  total = 1;
  const task = await registerNode(client, node);
  progress({ type: "registered", node: node.machine_uuid, taskId: task.id });
  // Cluster benchmarks need every node: wait until the job is running.
  for (let state = (await client.currentJob()).state; state !== "running"; state = (await client.currentJob()).state) {
    if (!["created", "starting"].includes(state)) fail(`job is ${state}`);
    console.log(`  … waiting for the other nodes (${state})`);
    await new Promise((r) => setTimeout(r, 5000));
  }
  const out = await runRegisteredNode(client, job, node, task.id, commandProducer(cmd), progress);
  console.log(`Done: job is ${out.jobState}`);
}

main().catch((err) => {
  console.error(`error: ${(err as Error).message}`);
  process.exit(1);
});
