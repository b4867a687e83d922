import type { AgentClient, CurrentJob } from "./client";
import { clusterNetworkProducer, waitForPeersToMeasure } from "./cluster-network";
import { nodeIdentity, NvidiaSmiMissingError, primaryIpv4, readGpus, type GpuInventory } from "./inventory";
import { listen } from "./network";
import type { AgentOptions } from "./options";
import {
  builtinQuickMarkProducer,
  checkQuickMark,
  commandAvailable,
  commandProducer,
  PREREQUISITE_MISSING,
  runnerFor,
  type RunnerPlan,
} from "./producers";
import { registerNode, runRegisteredNode, type AgentEvent, type Producer } from "./run-node";

type Say = (line: string) => void;

/** This node's GPUs, or why they cannot be read (a node without the NVIDIA driver). */
export async function gpusOrProblem(): Promise<{
  gpus: GpuInventory[];
  cudaVersion: string | null;
  problem: string | null;
}> {
  try {
    return { ...(await readGpus()), problem: null };
  } catch (err) {
    if (err instanceof NvidiaSmiMissingError) return { gpus: [], cudaVersion: null, problem: err.message };
    throw err;
  }
}

function describe(plan: RunnerPlan): string {
  if (plan.kind === "command") return `runs \`${plan.command} ${plan.benchmark_id} '<config>'\``;
  if (plan.kind === "quick_mark") return `built-in runner: ${plan.command}`;
  if (plan.kind === "cluster_network")
    return "built-in: TCP latency and bandwidth to every peer's agent (+ all_reduce_perf when on PATH)";
  return `no runner: pass --runner ${plan.benchmark_id}=CMD or --bench-cmd CMD`;
}

/**
 * --dry-run: inventory, planned steps and each runner's prerequisites; registers nothing.
 * Returns the exit status: 0 when everything needed is present, 3 when something is missing.
 */
export async function dryRun(opts: AgentOptions, job: CurrentJob | null, say: Say): Promise<number> {
  const { gpus, cudaVersion, problem } = await gpusOrProblem();
  const node = nodeIdentity(gpus, cudaVersion, {
    machineId: opts.machineId,
    machineIp: opts.listenAddress ?? primaryIpv4(),
  });
  const inv = node.inventory as Record<string, unknown>;
  say(`Node ${node.machine_uuid} (${node.hostname}, ${node.machine_ip ?? "no external IPv4"})`);
  say(`  CPU ${inv.cpu} × ${inv.cpu_cores} threads, ${inv.memory_gb} GB memory, ${inv.os}, kernel ${inv.kernel}`);
  let missing = 0;
  if (problem && opts.device === "cpu") say(`  ! GPUs: ${problem} (not needed with --device cpu)`);
  else if (problem) {
    missing++;
    say(`  ✗ GPUs: ${problem}`);
  } else {
    say(
      `  GPUs: ${gpus.length} × ${gpus[0].name}, driver ${gpus[0].driver_version ?? "?"}, CUDA ${cudaVersion ?? "?"}`,
    );
    for (const g of gpus) {
      say(
        `    [${g.index}] ${g.name} ${g.uuid ?? ""} serial ${g.serial ?? "?"}, ${g.memory_total_mib ?? "?"} MiB, PCIe gen ${g.pcie_gen_current ?? "?"}/${g.pcie_gen_max ?? "?"} x${g.pcie_width_current ?? "?"}/x${g.pcie_width_max ?? "?"}, max SM ${g.clocks_max_sm_mhz ?? "?"} MHz, max mem ${g.clocks_max_memory_mhz ?? "?"} MHz, power limit ${g.power_limit_watts ?? "?"} W, ECC ${g.ecc_mode ?? "?"}`,
      );
    }
  }
  const steps = job ? job.benchmark_sequence.map((s) => s.benchmark_id) : ["quick_mark", "cluster_network"];
  say(
    job
      ? `Plan for job ${job.id} "${job.name}" (${job.node_count} node(s)):`
      : "Plan (no --url/--token given: the built-in benchmarks):",
  );
  for (const [i, id] of steps.entries()) {
    const plan = runnerFor(id, opts);
    let check: { ok: boolean; detail: string };
    if (plan.kind === "quick_mark") check = await checkQuickMark(opts);
    else if (plan.kind === "command")
      check = commandAvailable(plan.command)
        ? { ok: true, detail: "program found" }
        : { ok: false, detail: `'${plan.command.trim().split(/\s+/)[0]}' not found or not executable` };
    else if (plan.kind === "cluster_network") check = await checkListen(opts);
    else check = { ok: false, detail: "nothing can run it" };
    if (!check.ok) missing++;
    say(`  ${i + 1}. ${check.ok ? "✓" : "✗"} ${id}: ${describe(plan)} — ${check.detail}`);
  }
  say(
    missing
      ? `Dry run: ${missing} prerequisite(s) missing; nothing was registered.`
      : "Dry run: ready; nothing was registered.",
  );
  return missing ? PREREQUISITE_MISSING : 0;
}

async function checkListen(opts: AgentOptions): Promise<{ ok: boolean; detail: string }> {
  try {
    const l = await listen(opts.listenPort, opts.listenAddress ?? "0.0.0.0");
    await l.close();
    return {
      ok: true,
      detail: `can listen on ${opts.listenAddress ?? "0.0.0.0"}:${opts.listenPort || "any free port"}${commandAvailable("all_reduce_perf") ? "; all_reduce_perf found" : "; all_reduce_perf not on PATH (no bus bandwidth)"}`,
    };
  } catch (err) {
    return { ok: false, detail: `cannot listen on port ${opts.listenPort}: ${(err as Error).message}` };
  }
}

/**
 * A real node: reads nvidia-smi, listens for its peers, registers, runs the job's sequence
 * and stays reachable until its peers have measured their links to it. A node whose GPUs
 * cannot be read still registers and fails at once, so the job does not wait for it.
 * Returns the exit status (0 all completed, 1 something failed, 3 a prerequisite missing).
 */
export async function runRealNode(
  client: AgentClient,
  job: CurrentJob,
  opts: AgentOptions,
  say: Say,
  onEvent: (e: AgentEvent) => void,
  stop?: AbortSignal,
): Promise<number> {
  const smi = await gpusOrProblem();
  const { gpus, cudaVersion } = smi;
  // A --device cpu smoke run needs no GPU; anything else fails the node when GPUs cannot be read.
  const problem = opts.device === "cpu" ? null : smi.problem;
  if (smi.problem) say(`  ${problem ? "✗" : "!"} ${smi.problem}`);
  const needsNetwork = job.benchmark_sequence.some((s) => runnerFor(s.benchmark_id, opts).kind === "cluster_network");
  const listener = needsNetwork && !problem ? await listen(opts.listenPort, opts.listenAddress ?? "0.0.0.0") : null;
  const machineIp = opts.listenAddress ?? primaryIpv4();
  const node = nodeIdentity(gpus, cudaVersion, { machineId: opts.machineId, machineIp });
  if (smi.problem) node.inventory = { ...node.inventory, gpu_error: smi.problem };
  if (!gpus.length && opts.device === "cpu") node.gpu_model = "none (CPU smoke test)";
  const task = await registerNode(
    client,
    { ...node, ...(listener ? { agent_endpoint: { host: machineIp ?? "127.0.0.1", port: listener.port } } : {}) },
    job,
  );
  onEvent({ type: "registered", node: node.machine_uuid, taskId: task.id });
  if (listener) say(`  listening for peers on ${machineIp ?? "127.0.0.1"}:${listener.port}`);
  const log = (line: string) => void client.logs(task.id, [line]).catch(() => undefined);
  const producers = new Map<string, Producer>();
  for (const step of job.benchmark_sequence) {
    const plan = runnerFor(step.benchmark_id, opts);
    producers.set(
      step.benchmark_id,
      problem
        ? async () => ({ state: "failed", error_message: problem, fatal: true })
        : plan.kind === "command"
          ? commandProducer(plan.command)
          : plan.kind === "quick_mark"
            ? builtinQuickMarkProducer(opts)
            : plan.kind === "cluster_network"
              ? clusterNetworkProducer(client, task.id, gpus.length, log)
              : async () => ({ state: "failed", error_message: describe(plan) }),
    );
  }
  try {
    const out = await runRegisteredNode(
      client,
      job,
      node,
      task.id,
      (step, attempt, signal) => producers.get(step.benchmark_id)!(step, attempt, signal),
      onEvent,
      stop,
    );
    if (listener && out.state !== "stopped") {
      say("  … staying reachable until every peer has measured its links");
      await waitForPeersToMeasure(client, task.id, undefined, undefined, stop);
    }
    if ("fatal" in out && out.fatal) return PREREQUISITE_MISSING;
    return out.state === "completed" && "completed" in out && out.completed === out.steps ? 0 : 1;
  } finally {
    await listener?.close();
  }
}
