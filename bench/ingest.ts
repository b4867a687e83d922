// Agent ingest benchmark (docs/performance-budget.md: ≥ 1,000 result uploads/s on one instance, none lost or
// duplicated). Starts the built app (`next build` first) on a fresh PostgreSQL database,
// registers 256 nodes on one job and uploads quick_mark results concurrently over HTTP,
// re-sending 10% of them as retries; then counts what was stored. A comma list of ports
// starts one instance per port on the same database and spreads the uploads over them
// round-robin (README "Scale out": one vs two instances).
//   npm run bench:ingest [-- --uploads 4000 --concurrency 64 --port 3150[,3151] --database benchboard_ingest]
import { spawn } from "node:child_process";
import fs from "node:fs";
import pg from "pg";
import { AgentClient } from "../agent/client";
import { rng, simulatedNodes, simulateQuickmark } from "../agent/simulate";
import { parseArgs } from "../scripts/cli-args";

const args = parseArgs(process.argv.slice(2), {
  uploads: "string",
  concurrency: "string",
  port: "string",
  "base-url": "string",
  database: "string",
});
const UPLOADS = Number(args.uploads ?? 4000);
const CONCURRENCY = Number(args.concurrency ?? 64);
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
if (!/^[a-z_][a-z0-9_]*$/.test(DB)) throw new Error(`--database must be a plain identifier, got '${DB}'`);

if (!fs.existsSync(".next/BUILD_ID")) {
  console.error("Build the app first: npx next build");
  process.exit(2);
}
const admin = new pg.Client({ connectionString: BASE });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DB}`);
await admin.end();
const url = new URL(BASE);
url.pathname = `/${DB}`;
const env = {
  ...process.env,
  DATABASE_URL: url.toString(),
  AUTH_SECRET: "bench-ingest",
  BENCHBOARD_DEMO: "0",
  RATE_LIMIT_DISABLED: "1",
};

/** CPU seconds used so far by every process of a process group (the server and its workers). */
function groupCpuSeconds(pgid: number): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      /* process ended meanwhile */
    }
  }
  return total;
}

const run = (cmd: string, a: string[]) =>
  new Promise<void>((res, rej) =>
    spawn(cmd, a, { env, stdio: "inherit" }).on("exit", (c) =>
      c === 0 ? res() : rej(new Error(`${cmd} ${a.join(" ")} exited ${c}`)),
    ),
  );
await run("npx", ["tsx", "scripts/db-migrate.ts"]);
await run("npx", [
  "tsx",
  "scripts/user-create.ts",
  "--email",
  "ingest@bench.local",
  "--password",
  "bench-password",
  "--role",
  "customer_admin",
  "--customer",
  "Bench",
]);
// BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=.prof") profiles the server.
const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
const servers = PORTS.map((port) =>
  spawn(process.execPath, [...nodeArgs, "node_modules/next/dist/bin/next", "start", "-p", String(port)], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  }),
);
const bases = PORTS.map((port) => `http://127.0.0.1:${port}`);
const base = bases[0];
const serversCpuSeconds = () => servers.reduce((sum, s) => sum + groupCpuSeconds(s.pid!), 0);
try {
  for (const b of bases)
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${b}/signin`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (i > 120) throw new Error(`server ${b} did not start`);
      await new Promise((r) => setTimeout(r, 500));
    }
  const token = (
    await (
      await fetch(`${base}/api/silicon-mark/v1/token`, {
        method: "POST",
        body: new URLSearchParams({ username: "ingest@bench.local", password: "bench-password" }),
      })
    ).json()
  ).access_token;
  const job = await (
    await fetch(`${base}/api/silicon-mark/v1/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "ingest", benchmarks: ["quick_mark"], node_count: 256 }),
    })
  ).json();
  const agents = bases.map((baseUrl) => new AgentClient({ baseUrl, token: job.token, retries: 10 }));
  const agent = agents[0];
  const nodes = simulatedNodes({ gpuModel: "NVIDIA H100 80GB HBM3", nodes: 256, degraded: 0, seed: 1 });
  const tasks: string[] = [];
  for (const n of nodes) {
    const { degraded: _d, ...identity } = n;
    tasks.push((await agent.register(identity)).id);
  }
  const r = rng(9);
  const payloads = Array.from({ length: UPLOADS }, (_, i) => ({
    task: tasks[i % tasks.length],
    key: `upload-${i}`,
    body: { benchmark_id: "quick_mark", state: "completed", results: simulateQuickmark(nodes[i % nodes.length], r) },
  }));
  const retries = payloads.filter((_, i) => i % 10 === 0);
  const queue = [...payloads, ...retries];
  const started = performance.now();
  const serverCpuBefore = serversCpuSeconds();
  const clientCpuBefore = process.cpuUsage();
  let next = 0;
  await Promise.all(
    // Worker w sends to instance w mod N, as a load balancer spreading connections would.
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      while (next < queue.length) {
        const p = queue[next++];
        await agents[w % agents.length].uploadResult(p.task, p.body, p.key);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const serverCpuMs = ((serversCpuSeconds() - serverCpuBefore) * 1000) / queue.length;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000 / queue.length;
  const check = new pg.Client({ connectionString: url.toString() });
  await check.connect();
  const stored = Number(
    (await check.query(`SELECT count(*) FROM benchmark_results WHERE job_id = $1`, [job.id])).rows[0].count,
  );
  await check.end();
  const rate = queue.length / seconds;
  console.log(
    `\nIngest: ${queue.length} uploads (${retries.length} retried duplicates) with concurrency ${CONCURRENCY} over ${bases.length} instance(s) in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} uploads/s`,
  );
  // CPU per upload tells what the wall-clock rate hides on a shared 2-core machine: the
  // server's ceiling on one core is 1000 / (server CPU ms per upload).
  console.log(
    `CPU per upload: server ${serverCpuMs.toFixed(2)} ms (ceiling ≈ ${(1000 / serverCpuMs).toFixed(0)}/s per core), load generator ${clientCpuMs.toFixed(2)} ms`,
  );
  console.log(
    `Stored ${stored} of ${UPLOADS} distinct results: ${stored === UPLOADS ? "none lost, none duplicated" : "MISMATCH"}`,
  );
  console.log(`Target ≥ 1000 uploads/s: ${rate >= 1000 ? "PASS" : "FAIL"}`);
  if (stored !== UPLOADS) process.exitCode = 1;
} finally {
  for (const s of servers) process.kill(-s.pid!, "SIGINT");
}
