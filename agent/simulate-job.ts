import {
  nodeIdentity,
  rng,
  simulateClusterNetwork,
  simulatedNodes,
  simulateQuickmark,
  type SimulatedNode,
} from "./simulate";
import { registerNode, runRegisteredNode, type AgentApi, type AgentEvent, type Producer } from "./run-node";

export interface SimulationOptions {
  gpuModel: string;
  nodes: number;
  degraded?: number;
  seed?: number;
  gpuCount?: number;
  /** Fixed machines to play instead of generated ones (a demo fleet that runs many jobs); `nodes` of them join. */
  machines?: SimulatedNode[];
  /** Benchmarks to fail: "cluster_network" (every node) or "cluster_network@0" (node index 0). */
  failures?: string[];
  /** Nodes that join but never run or finish (to exercise heartbeat timeouts). */
  silentNodes?: number;
  /** Nodes that never join at all (a job left waiting in starting). */
  absentNodes?: number;
  onEvent?: (e: AgentEvent) => void;
}

function simulatedProducer(
  node: SimulatedNode,
  index: number,
  all: SimulatedNode[],
  seed: number,
  failures: string[],
): Producer {
  const r = rng(seed * 7919 + index);
  return async (step) => {
    if (failures.includes(step.benchmark_id) || failures.includes(`${step.benchmark_id}@${index}`)) {
      return {
        state: "failed",
        error_message:
          step.benchmark_id === "cluster_network"
            ? "NCCL timeout after 300 s waiting for peers"
            : "CUDA error: an illegal memory access was encountered",
        logs: ["simulated failure"],
      };
    }
    if (step.benchmark_id === "quick_mark")
      return {
        state: "completed",
        results: simulateQuickmark(node, r),
        logs: [`quick_mark on ${node.gpu_count}× ${node.gpu_model}`],
      };
    if (step.benchmark_id === "cluster_network")
      return {
        state: "completed",
        results: simulateClusterNetwork(node, all, r),
        logs: [`measured ${all.length - 1} links`],
      };
    return { state: "failed", error_message: `The simulator has no model for '${step.benchmark_id}'` };
  };
}

/**
 * Plays N nodes of one GPU model through the agent protocol: all register (as real agents
 * would, before cluster benchmarks can run), then each runs the sequence concurrently.
 */
export async function simulateJob(api: AgentApi, opts: SimulationOptions) {
  const seed = opts.seed ?? 1;
  const job = await api.currentJob();
  const nodes =
    opts.machines?.slice(0, opts.nodes) ??
    simulatedNodes({
      gpuModel: opts.gpuModel,
      nodes: opts.nodes,
      degraded: opts.degraded ?? 0,
      seed,
      gpuCount: opts.gpuCount,
    });
  const joining = nodes.slice(0, nodes.length - (opts.absentNodes ?? 0));
  const tasks = await Promise.all(
    joining.map(async (n) => {
      const task = await registerNode(api, nodeIdentity(n));
      opts.onEvent?.({ type: "registered", node: n.machine_uuid, taskId: task.id });
      return task;
    }),
  );
  const silent = opts.silentNodes ?? 0;
  const outcomes = await Promise.all(
    joining
      .slice(0, Math.max(0, joining.length - silent))
      .map((n, i) =>
        runRegisteredNode(
          api,
          job,
          nodeIdentity(n),
          tasks[i].id,
          simulatedProducer(n, i, nodes, seed, opts.failures ?? []),
          opts.onEvent,
        ),
      ),
  );
  return { nodes, taskIds: tasks.map((t) => t.id), outcomes };
}
