import type { AgentClient, PeersAnswer } from "./client";
import { bulkBandwidthGbps, median, pingPong, BULK_STREAMS } from "./network";
import { commandAvailable, runProcess } from "./producers";
import type { Producer } from "./run-node";

/** How long a node waits for its peers to reach cluster_network (or to finish measuring it). */
const PEER_WAIT_MS = 30 * 60_000;
const POLL_MS = 1000;
const BULK_MAX_MS = 10_000;
const PING_MAX_MS = 3_000;
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

async function pollPeers(
  api: AgentClient,
  taskId: string,
  benchmarkId: string,
  until: (a: PeersAnswer) => boolean,
  waitMs: number,
  signal?: AbortSignal,
) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const answer = await api.peers(taskId, benchmarkId);
    const live = ["created", "starting", "running"].includes(answer.job_state);
    if (until(answer) || !live || Date.now() >= deadline || signal?.aborted)
      return { answer, satisfied: until(answer) };
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** After this node has uploaded its links: keep listening until every peer has measured its own. */
export async function waitForPeersToMeasure(
  api: AgentClient,
  taskId: string,
  benchmarkId = "cluster_network",
  waitMs = PEER_WAIT_MS,
  signal?: AbortSignal,
) {
  return pollPeers(api, taskId, benchmarkId, (a) => a.peers.every((p) => p.done), waitMs, signal);
}

/** nccl-tests' all_reduce_perf over this node's GPUs, when it is installed: "# Avg bus bandwidth : X" (GB/s). */
async function ncclBusBandwidthGbps(
  gpuCount: number,
  log: (l: string) => void,
  signal: AbortSignal,
): Promise<number | null> {
  if (!commandAvailable("all_reduce_perf") || signal.aborted) return null;
  const args = ["-b", "8M", "-e", "1G", "-f", "2", "-g", String(Math.max(1, gpuCount))];
  log(`cluster_network: all_reduce_perf ${args.join(" ")}`);
  const r = await runProcess("all_reduce_perf", args, undefined, 5 * 60_000, signal);
  const gbs = Number(r.stdout.match(/Avg bus bandwidth\s*:\s*([\d.]+)/)?.[1]);
  if (r.code !== 0 || !Number.isFinite(gbs)) {
    log(`cluster_network: all_reduce_perf gave no bus bandwidth (exit ${r.code}): ${r.stderr.trim().slice(-200)}`);
    return null;
  }
  return gbs * 8;
}

/**
 * The built-in cluster_network: waits until every node has joined and reached this step,
 * then measures ping-pong latency and bulk TCP bandwidth to each peer's agent, one peer at a
 * time, each bounded by the config's size and a time limit.
 */
export function clusterNetworkProducer(
  api: AgentClient,
  taskId: string,
  gpuCount: number,
  log: (line: string) => void,
): Producer {
  return async (step, _attempt, signal) => {
    const config = (step.config ?? {}) as { message_size_mb?: number; iterations?: number };
    const bytes = (config.message_size_mb ?? 256) * 2 ** 20;
    const iterations = config.iterations ?? 100;
    log(`cluster_network: waiting for every node to join and reach this step`);
    const { answer, satisfied } = await pollPeers(api, taskId, step.benchmark_id, (a) => a.ready, PEER_WAIT_MS, signal);
    if (!satisfied)
      return {
        state: "failed",
        error_message: `Peers were not ready within ${PEER_WAIT_MS / 60_000} min (job ${answer.job_state}; ${answer.peers
          .filter((p) => !p.reached)
          .map((p) => p.label)
          .join(", ")} not at cluster_network)`,
      };
    // A peer that already finished its own steps still listens until every node has measured
    // it (waitForPeersToMeasure); only an aborted node's agent is gone.
    const targets = answer.peers.filter((p) => p.state !== "aborted" && p.host && p.port);
    if (!targets.length)
      return {
        state: "failed",
        error_message:
          "No peer announced an agent endpoint to measure (cluster_network needs two or more nodes running this agent)",
      };
    const measurements: { source: string; target: string; bandwidth_gbps: number; latency_us: number }[] = [];
    const failures: string[] = [];
    for (const peer of targets) {
      if (signal.aborted) break;
      try {
        const rtts = await pingPong(peer.host!, peer.port!, iterations, PING_MAX_MS);
        const gbps = await bulkBandwidthGbps(peer.host!, peer.port!, bytes, BULK_MAX_MS);
        const m = {
          source: answer.self.label,
          target: peer.label,
          bandwidth_gbps: round(gbps, 3),
          latency_us: round(median(rtts) / 2, 2),
        };
        measurements.push(m);
        log(`cluster_network: ${m.source} → ${m.target} ${m.bandwidth_gbps} Gbps, ${m.latency_us} µs`);
      } catch (err) {
        failures.push(`${peer.label} (${peer.host}:${peer.port}): ${(err as Error).message}`);
      }
    }
    const sources: Record<string, string> = {
      bandwidth_gbps: `TCP bulk transfer to each peer's agent: up to ${config.message_size_mb ?? 256} MiB over ${BULK_STREAMS} parallel connections, at most ${BULK_MAX_MS / 1000} s, bytes the peer confirmed × 8 / elapsed`,
      latency_us: `TCP ping-pong of 8-byte frames (${iterations} round trips, at most ${PING_MAX_MS / 1000} s): half the median round trip`,
    };
    const busbw = await ncclBusBandwidthGbps(gpuCount, log, signal);
    if (busbw !== null)
      sources.busbw_gbps = `nccl-tests all_reduce_perf -b 8M -e 1G -f 2 -g ${gpuCount} on this node: Avg bus bandwidth (GB/s) × 8`;
    const bws = measurements.map((m) => m.bandwidth_gbps);
    const results = measurements.length
      ? {
          avg_bandwidth_gbps: round(bws.reduce((a, b) => a + b, 0) / bws.length, 3),
          min_bandwidth_gbps: round(Math.min(...bws), 3),
          avg_latency: round(measurements.reduce((a, m) => a + m.latency_us, 0) / measurements.length, 2),
          total_links_tested: measurements.length,
          node_count: answer.peers.length + 1,
          measurements,
          ...(busbw !== null ? { busbw_gbps: round(busbw, 1) } : {}),
          sources,
        }
      : null;
    if (failures.length)
      return {
        state: "failed",
        results,
        error_message: `Could not measure ${failures.length} of ${targets.length} links: ${failures.join("; ")}`.slice(
          0,
          4000,
        ),
      };
    return { state: "completed", results };
  };
}
