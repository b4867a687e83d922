// Many nodes at once (docs/performance-budget.md): one job of 200 nodes through the full agent
// protocol — GET /jobs/current, all nodes register at once, then each runs quick_mark and
// cluster_network (each step takes --step-ms, ±25 %, with a heartbeat every --heartbeat-ms while it
// runs and 20 log lines per step), uploads its results and finishes; the last finish ends the
// job. It is the real agent (agent/run-node.ts over agent/client.ts), so it uses the batch upload
// and the join spread the server offers (--no-batch: the seed's single calls; --no-spread: every
// node joins at once). Measures every HTTP request as the
// agent sees it, on PostgreSQL and on the embedded PGlite, against the production build.
//   npm run bench:nodes [-- --nodes 200 --db both|postgres|pglite --step-ms 3000 --heartbeat-ms 1000 --no-batch --no-spread --port 3160 --database benchboard_nodes]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AgentClient, type CurrentJob } from "../agent/client";
import { registerNode, runRegisteredNode, type Producer } from "../agent/run-node";
import {
  nodeIdentity,
  rng,
  simulateClusterNetwork,
  simulatedNodes,
  simulateQuickmark,
  type SimulatedNode,
} from "../agent/simulate";
import { parseArgs } from "../scripts/cli-args";
import { createJob, freshPostgres, prepareDatabase } from "./agent-setup";
import { groupCpuSeconds, startBuiltServer } from "./server";

const args = parseArgs(process.argv.slice(2), {
  nodes: "string",
  db: "string",
  "step-ms": "string",
  "heartbeat-ms": "string",
  lines: "string",
  "no-batch": "boolean",
  "no-spread": "boolean",
  port: "string",
  database: "string",
});
const NODES = Number(args.nodes ?? 200);
const DBS = String(args.db ?? "both");
if (!["both", "postgres", "pglite"].includes(DBS)) throw new Error("--db is both, postgres or pglite");
const STEP_MS = Number(args["step-ms"] ?? 20_000);
// Unset: the interval GET /jobs/current gives agents.
const HEARTBEAT_S = args["heartbeat-ms"] ? Math.max(1, Number(args["heartbeat-ms"]) / 1000) : null;
const LINES = Number(args.lines ?? 20);
const BATCH = !args["no-batch"];
const SPREAD = !args["no-spread"];
const PORT = Number(args.port ?? 3160);
// Its own PostgreSQL database, dropped and recreated each run.
const DB = String(args.database ?? "benchboard_nodes");
const PG_BASE = process.env.BENCH_PG_BASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TARGET_P95_MS = { postgres: 300, pglite: 1000 } as const;

interface Sample {
  op: string;
  ms: number;
  status: number;
}

/** The agent's fetch, timing each HTTP request (retries are requests too) by protocol call. */
function timedFetch(samples: Sample[]): typeof fetch {
  return async (input, init) => {
    const p = new URL(String(input)).pathname;
    const op = /\/jobs\/current$/.test(p)
      ? "current job"
      : /\/jobs\/current\/tasks$/.test(p)
        ? "register"
        : (p.match(/\/tasks\/\d+\/(\w+)$/)?.[1] ?? p);
    const started = performance.now();
    try {
      const res = await fetch(input, init);
      const body = await res.arrayBuffer();
      samples.push({ op, ms: performance.now() - started, status: res.status });
      return new Response(body, { status: res.status, headers: res.headers });
    } catch (err) {
      samples.push({ op, ms: performance.now() - started, status: 0 });
      throw err;
    }
  };
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99), max: s[s.length - 1] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function producer(node: SimulatedNode, index: number, all: SimulatedNode[]): Producer {
  const r = rng(1000 + index);
  return async (step) => {
    await sleep(STEP_MS * (0.75 + 0.5 * r.next()));
    const logs = Array.from(
      { length: LINES - 1 },
      (_, i) => `${step.benchmark_id} ${node.hostname}: progress ${i + 1}`,
    );
    if (step.benchmark_id === "quick_mark") return { state: "completed", results: simulateQuickmark(node, r), logs };
    return { state: "completed", results: simulateClusterNetwork(node, all, r), logs };
  };
}

async function runOn(kind: "postgres" | "pglite", port: number) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AUTH_SECRET: "bench-nodes",
    BENCHBOARD_DEMO: "0",
    RATE_LIMIT_DISABLED: "1",
    NODE_ENV: "production",
  };
  let folder: string | null = null;
  if (kind === "postgres") env.DATABASE_URL = await freshPostgres(PG_BASE, DB);
  else {
    delete env.DATABASE_URL;
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "benchboard-nodes-"));
    env.PGLITE_DATA_DIR = folder;
  }
  await prepareDatabase(env);
  const server = await startBuiltServer(port, env);
  try {
    // Warm-up: one node through every call, so route modules and the database are loaded.
    const warm = await createJob(server.baseUrl, { name: `warm-${kind}`, benchmarks: ["quick_mark"], node_count: 1 });
    const warmClient = new AgentClient({ baseUrl: server.baseUrl, token: warm.token });
    const warmNode = simulatedNodes({ gpuModel: "NVIDIA H100 80GB HBM3", nodes: 1, degraded: 0, seed: 99 })[0];
    const warmTask = await warmClient.register(nodeIdentity(warmNode));
    // Heartbeat and logs before the node finishes: a 1-node job ends with its node, and the
    // protocol answers 409 JOB_ENDED to updates after that.
    await warmClient.heartbeat(warmTask.id);
    await warmClient.logs(warmTask.id, ["warm-up"]);
    await runRegisteredNode(
      warmClient,
      await warmClient.currentJob(),
      nodeIdentity(warmNode),
      warmTask.id,
      async () => ({ state: "completed", results: simulateQuickmark(warmNode, rng(1)), logs: ["warm-up"] }),
    );

    const job = await createJob(server.baseUrl, {
      name: `nodes-${kind}`,
      benchmarks: ["quick_mark", "cluster_network"],
      node_count: NODES,
    });
    const samples: Sample[] = [];
    const client = new AgentClient({ baseUrl: server.baseUrl, token: job.token, fetch: timedFetch(samples) });
    const nodes = simulatedNodes({ gpuModel: "NVIDIA H100 80GB HBM3", nodes: NODES, degraded: 0, seed: 3 });
    let offeredSpread: number | undefined;
    const cpuBefore = groupCpuSeconds(server.pgid);
    const started = performance.now();
    // For bench/profile-summary.ts --window: the burst's start on the clock of a server profile.
    console.log(`  ${kind}: the ${NODES} nodes start at ${process.hrtime.bigint() / 1000n} µs (monotonic)`);
    // Each node is its own agent: it reads the job, joins, runs the sequence and finishes.
    const outcomes = await Promise.all(
      nodes.map(async (n, i) => {
        const offered = await client.currentJob();
        offeredSpread = offered.extensions?.join_spread?.max_ms;
        const job: CurrentJob = {
          ...offered,
          heartbeat_interval_seconds: HEARTBEAT_S ?? offered.heartbeat_interval_seconds,
          extensions: {
            batch_upload: BATCH ? offered.extensions?.batch_upload : undefined,
            join_spread: SPREAD ? offered.extensions?.join_spread : undefined,
          },
        };
        const task = await registerNode(client, nodeIdentity(n), job);
        return runRegisteredNode(client, job, nodeIdentity(n), task.id, producer(n, i, nodes));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = groupCpuSeconds(server.pgid) - cpuBefore;
    const detail = await (
      await fetch(`${server.baseUrl}/api/silicon-mark/v1/jobs/current`, {
        headers: { authorization: `Bearer ${job.token}` },
      })
    ).json();
    const completedNodes = outcomes.filter((o) => o.state === "completed").length;
    const failed = samples.filter((s) => s.status === 0 || s.status >= 400);
    const all = stats(samples.map((s) => s.ms));
    const byOp = new Map<string, number[]>();
    for (const s of samples) byOp.set(s.op, [...(byOp.get(s.op) ?? []), s.ms]);
    const target = TARGET_P95_MS[kind];
    console.log(
      `\n${kind === "postgres" ? "PostgreSQL" : "PGlite (embedded)"}: ${NODES} nodes, ${samples.length} requests in ${seconds.toFixed(1)} s = ${(samples.length / seconds).toFixed(0)} requests/s (${BATCH ? "batch uploads" : "single calls"}, ${SPREAD ? `join spread ${offeredSpread ?? 0} ms` : "no join spread"}, steps ${STEP_MS / 1000} s, heartbeat every ${HEARTBEAT_S ?? 15} s); server CPU ${cpu.toFixed(1)} s (${((cpu * 1000) / samples.length).toFixed(2)} ms per request)`,
    );
    console.log(
      `  job ${detail.state}, ${completedNodes} of ${NODES} nodes completed, ${failed.length} failed requests${failed.length ? ` (${[...new Set(failed.map((f) => `${f.op} ${f.status}`))].join(", ")})` : ""}`,
    );
    console.log("  | call | requests | p50 ms | p95 ms | p99 ms | max ms |");
    console.log("  | --- | ---: | ---: | ---: | ---: | ---: |");
    for (const [op, ms] of [...byOp.entries(), ["all", samples.map((s) => s.ms)] as [string, number[]]]) {
      const s = stats(ms);
      console.log(
        `  | ${op} | ${s.n} | ${s.p50.toFixed(0)} | ${s.p95.toFixed(0)} | ${s.p99.toFixed(0)} | ${s.max.toFixed(0)} |`,
      );
    }
    const pass = all.p95 <= target && detail.state === "completed" && completedNodes === NODES && !failed.length;
    console.log(
      `Target p95 ≤ ${target} ms on ${kind === "postgres" ? "PostgreSQL" : "PGlite"}: p50 ${all.p50.toFixed(0)} / p95 ${all.p95.toFixed(0)} / p99 ${all.p99.toFixed(0)} ms ${pass ? "PASS" : "FAIL"}`,
    );
    return pass;
  } finally {
    await server.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  }
}

let ok = true;
if (DBS !== "pglite") ok = (await runOn("postgres", PORT)) && ok;
if (DBS !== "postgres") ok = (await runOn("pglite", PORT)) && ok;
if (!ok) process.exitCode = 1;
