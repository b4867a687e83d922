// Agent ingest benchmark (docs/performance-budget.md): ≥ 1,000 results/s stored on one instance,
// ≤ 1.5 ms of server CPU per single upload, none lost or duplicated. Serves the production build
// (`next build` first) on a fresh PostgreSQL database, registers 256 nodes per job and sends
// quick_mark results concurrently over HTTP in two modes, each on its own job:
//   single — one POST …/results per result (the seed's call), 10 % of them sent again as retries;
//   batch  — POST …/batch (the extension) with --batch results of one node, 20 log lines and a
//            heartbeat per request, 10 % of the batches sent again as retries (same
//            Idempotency-Key and result keys).
// Then counts the rows stored per job: every distinct result and log line exactly once.
// A comma list of ports (--port 3150,3151) starts one instance per port on the same database
// and spreads the requests over them round-robin.
//   npm run bench:ingest [-- --uploads 4000 --concurrency 64 --batch 50 --batch-concurrency 8 --mode both --port 3150[,3151]]
import pg from "pg";
import { AgentClient } from "../agent/client";
import { rng, simulatedNodes, simulateQuickmark, nodeIdentity } from "../agent/simulate";
import { parseArgs } from "../scripts/cli-args";
import { createJob, freshPostgres, prepareDatabase } from "./agent-setup";
import { groupCpuSeconds, startBuiltServer } from "./server";

const args = parseArgs(process.argv.slice(2), {
  uploads: "string",
  concurrency: "string",
  batch: "string",
  "batch-concurrency": "string",
  mode: "string",
  port: "string",
  "base-url": "string",
  database: "string",
});
const UPLOADS = Number(args.uploads ?? 4000);
const CONCURRENCY = Number(args.concurrency ?? 64);
const BATCH = Number(args.batch ?? 50);
const BATCH_CONCURRENCY = Number(args["batch-concurrency"] ?? 8);
const MODE = String(args.mode ?? "both");
if (!["single", "batch", "both"].includes(MODE)) throw new Error("--mode is single, batch or both");
// A comma list of ports starts one instance per port on the same database and spreads the
// requests over them round-robin (README "Scale out": one vs two instances).
const PORTS = String(args.port ?? 3150)
  .split(",")
  .map((p) => Number(p.trim()));
if (PORTS.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))
  throw new Error(`--port must be a port or a comma list of ports, got '${args.port}'`);
const BASE =
  (args["base-url"] as string | undefined) ??
  process.env.BENCH_PG_BASE_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres";
// Its own database, dropped and recreated: `npm run bench` passes a distinct name so two runs never share one.
const DB = (args.database as string | undefined) ?? "benchboard_ingest";
const NODES = 256;
const LINES_PER_BATCH = 20;

const TARGET_RATE = 1000;
const TARGET_CPU_MS = 1.5;

const url = await freshPostgres(BASE, DB);
const env = {
  ...process.env,
  DATABASE_URL: url,
  AUTH_SECRET: "bench-ingest",
  BENCHBOARD_DEMO: "0",
  RATE_LIMIT_DISABLED: "1",
  NODE_ENV: "production" as const,
};
await prepareDatabase(env);
const servers: Awaited<ReturnType<typeof startBuiltServer>>[] = [];
for (const port of PORTS) servers.push(await startBuiltServer(port, env));
const server = servers[0];
const serversCpuSeconds = () => servers.reduce((sum, s) => sum + groupCpuSeconds(s.pgid), 0);

interface Measured {
  requests: number;
  results: number;
  seconds: number;
  serverCpuMsPerRequest: number;
  clientCpuMsPerRequest: number;
}

/** Runs `queue` through `concurrency` workers; CPU of the server's process group and of this process. */
async function measure<T>(queue: T[], concurrency: number, send: (item: T) => Promise<unknown>, results: number) {
  const started = performance.now();
  const serverBefore = serversCpuSeconds();
  const clientBefore = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < queue.length) await send(queue[next++]);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  return {
    requests: queue.length,
    results,
    seconds,
    serverCpuMsPerRequest: ((serversCpuSeconds() - serverBefore) * 1000) / queue.length,
    clientCpuMsPerRequest: (client.user + client.system) / 1000 / queue.length,
  } satisfies Measured;
}

/** A job with NODES registered nodes, and UPLOADS distinct results spread over them. */
async function jobWithNodes(name: string) {
  const job = await createJob(server.baseUrl, { name, benchmarks: ["quick_mark"], node_count: NODES });
  const agents = servers.map((s) => new AgentClient({ baseUrl: s.baseUrl, token: job.token, retries: 10 }));
  let turn = 0;
  /** The next instance's client, round-robin. */
  const next = () => agents[turn++ % agents.length];
  const agent = agents[0];
  const nodes = simulatedNodes({ gpuModel: "NVIDIA H100 80GB HBM3", nodes: NODES, degraded: 0, seed: 1 });
  const tasks: string[] = [];
  for (const n of nodes) tasks.push((await agent.register(nodeIdentity(n))).id);
  const r = rng(9);
  const results = Array.from({ length: UPLOADS }, (_, i) => ({
    task: tasks[i % NODES],
    key: `${name}-${i}`,
    body: { benchmark_id: "quick_mark", state: "completed", results: simulateQuickmark(nodes[i % NODES], r) },
  }));
  return { job, next, results };
}

async function stored(jobId: string) {
  const check = new pg.Client({ connectionString: url });
  await check.connect();
  try {
    const q = async (sql: string) => Number((await check.query(sql, [jobId])).rows[0].count);
    return {
      results: await q(`SELECT count(*) FROM benchmark_results WHERE job_id = $1 AND task_id IS NOT NULL`),
      lines: await q(`SELECT count(*) FROM job_logs WHERE job_id = $1`),
    };
  } finally {
    await check.end();
  }
}

const lines: string[] = [];
const say = (s: string) => {
  lines.push(s);
  console.log(s);
};
let exact = true;
let single: Measured | null = null;
let batched: Measured | null = null;
try {
  if (MODE !== "batch") {
    const { job, next, results } = await jobWithNodes("ingest-single");
    const queue = [...results, ...results.filter((_, i) => i % 10 === 0)];
    single = await measure(queue, CONCURRENCY, (p) => next().uploadResult(p.task, p.body, p.key), results.length);
    const s = await stored(job.id);
    const ok = s.results === UPLOADS;
    exact &&= ok;
    say(
      `\nIngest: ${queue.length} uploads (${queue.length - UPLOADS} retried duplicates) with concurrency ${CONCURRENCY} in ${single.seconds.toFixed(2)} s = ${(queue.length / single.seconds).toFixed(0)} uploads/s (single uploads, one result per request; ${PORTS.length} instance${PORTS.length > 1 ? "s" : ""})`,
    );
    say(
      `CPU per single upload: server ${single.serverCpuMsPerRequest.toFixed(2)} ms (ceiling ≈ ${(1000 / single.serverCpuMsPerRequest).toFixed(0)}/s per core), load generator ${single.clientCpuMsPerRequest.toFixed(2)} ms`,
    );
    say(`Stored ${s.results} of ${UPLOADS} distinct results: ${ok ? "none lost, none duplicated" : "MISMATCH"}`);
  }
  if (MODE !== "single") {
    const { job, next, results } = await jobWithNodes("ingest-batch");
    // A batch belongs to one node: consecutive blocks of --batch results, each sent by the next
    // node in turn (with 4,000 results and batches of 50, 80 of the 256 nodes send one each),
    // with 20 log lines and a heartbeat.
    const batches = Array.from({ length: Math.ceil(UPLOADS / BATCH) }, (_, b) => {
      const task = results[b % NODES].task;
      return {
        task,
        key: `batch-${b}`,
        items: results.slice(b * BATCH, (b + 1) * BATCH).map((p) => ({ ...p, task })),
      };
    });
    const queue = [...batches, ...batches.filter((_, i) => i % 10 === 0)];
    batched = await measure(
      queue,
      BATCH_CONCURRENCY,
      (b) =>
        next().batch(
          b.task,
          {
            results: b.items.map((p) => ({ ...p.body, idempotency_key: p.key })),
            logs: { lines: Array.from({ length: LINES_PER_BATCH }, (_, i) => `${b.key} line ${i}`) },
            heartbeat: { progress: { benchmark_id: "quick_mark", step: 1, steps: 1 } },
          },
          b.key,
        ),
      results.length,
    );
    const s = await stored(job.id);
    const ok = s.results === UPLOADS && s.lines === batches.length * LINES_PER_BATCH;
    exact &&= ok;
    const sentResults = queue.reduce((n, b) => n + b.items.length, 0);
    say(
      `Batch: ${queue.length} batch uploads (${queue.length - batches.length} retried) of ≤ ${BATCH} results + ${LINES_PER_BATCH} log lines + a heartbeat, concurrency ${BATCH_CONCURRENCY}, ${PORTS.length} instance${PORTS.length > 1 ? "s" : ""}, in ${batched.seconds.toFixed(2)} s = ${(sentResults / batched.seconds).toFixed(0)} results/s sent, ${(UPLOADS / batched.seconds).toFixed(0)} distinct results/s stored`,
    );
    say(
      `CPU per batch upload: server ${batched.serverCpuMsPerRequest.toFixed(2)} ms (${((batched.serverCpuMsPerRequest * queue.length) / sentResults).toFixed(3)} ms per result)`,
    );
    say(
      `Stored ${s.results} of ${UPLOADS} distinct results and ${s.lines} of ${batches.length * LINES_PER_BATCH} log lines: ${ok ? "none lost, none duplicated" : "MISMATCH"}`,
    );
  }
  say("");
  if (batched) {
    const rate = UPLOADS / batched.seconds;
    say(
      `Target ≥ ${TARGET_RATE} results/s stored (batch mode): ${rate.toFixed(0)}/s ${rate >= TARGET_RATE ? "PASS" : "FAIL"}`,
    );
  }
  if (single) {
    const rate = single.requests / single.seconds;
    say(
      `  (single mode, for comparison: ${rate.toFixed(0)} results/s ${rate >= TARGET_RATE ? "— also ≥ target" : "— below the target without batching"})`,
    );
    const cpu = single.serverCpuMsPerRequest;
    say(
      `Target server CPU ≤ ${TARGET_CPU_MS} ms per single upload: ${cpu.toFixed(2)} ms ${cpu <= TARGET_CPU_MS ? "PASS" : "FAIL"}`,
    );
  }
  say(`Target nothing lost or duplicated (retries included): ${exact ? "PASS" : "FAIL"}`);
  if (!exact) process.exitCode = 1;
} finally {
  for (const s of servers) await s.close();
}
