// The API under test, over real HTTP. Preferred: the production server (`next start`,
// built first when the sources changed since the last build). Fallback (--server loopback):
// test/helpers/http-server.ts, the same route handlers behind node:http in this process.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { productionBuildProblem } from "../test/helpers/next-start";

export interface RunningServer {
  kind: string;
  baseUrl: string;
  close: () => Promise<void>;
}

/** Rebuild when anything `next build` compiles changed since the build (test/helpers/next-start.ts). */
export function buildIsStale(): boolean {
  return productionBuildProblem() !== null;
}

/** The settings both read-path servers run with. */
const READ_BENCH_ENV = {
  AUTH_SECRET: "benchboard-bench",
  // The sweeper would end the seeded live jobs mid-run; the benchmark measures reads only.
  SWEEP_INTERVAL_SECONDS: "86400",
  // The limiter stays on (its cost is part of every request's overhead) with budgets no
  // sequential benchmark reaches.
  RATE_LIMIT_LIST_JOBS_PER_MINUTE: "1000000",
  RATE_LIMIT_DEFAULT_PER_MINUTE: "1000000",
};

export async function startNextServer(databaseUrl: string, port: number): Promise<RunningServer> {
  if (buildIsStale()) {
    console.log("Building the app (next build) …");
    const r = spawnSync("npx", ["next", "build"], { stdio: ["ignore", "ignore", "inherit"] });
    if (r.status !== 0) throw new Error("next build failed");
  }
  return startBuiltServer(port, {
    ...process.env,
    ...READ_BENCH_ENV,
    DATABASE_URL: databaseUrl,
    NODE_ENV: "production",
  });
}

export async function startLoopbackServer(databaseUrl: string): Promise<RunningServer> {
  Object.assign(process.env, READ_BENCH_ENV, { DATABASE_URL: databaseUrl });
  const { startHttpServer } = await import("../test/helpers/http-server");
  const s = await startHttpServer();
  return {
    kind: "loopback node:http around the route handlers (test/helpers/http-server.ts), in the bench process",
    baseUrl: s.url,
    close: s.close,
  };
}

/** CPU seconds used so far by every process of a process group (a server and its workers). */
export function groupCpuSeconds(pgid: number): number {
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

/**
 * The production build (`next build` first) served by `next start` in its own process group
 * with the given environment; BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=.prof")
 * adds Node.js flags, to profile the server (the profile is written when it stops).
 */
export async function startBuiltServer(
  port: number,
  env: NodeJS.ProcessEnv,
): Promise<RunningServer & { pgid: number }> {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("Build the app first: npx next build");
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const next = ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"];
  const child = spawn(process.execPath, [...nodeArgs, ...next], {
    env,
    stdio: ["ignore", process.env.BENCH_SERVER_STDOUT ? "inherit" : "ignore", "inherit"],
    detached: true,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // SIGINT lets --cpu-prof write its profile on the way out.
  const close = async () => {
    try {
      process.kill(-child.pid!, "SIGINT");
    } catch {
      return;
    }
    for (let i = 0; i < 100 && child.exitCode === null && child.signalCode === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/api/silicon-mark/v1/benchmarks`)).status < 500) break;
    } catch {
      /* not up yet */
    }
    if (i > 240) {
      await close();
      throw new Error("next start did not answer within 2 minutes");
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { kind: "next start (production build)", baseUrl, close, pgid: child.pid! };
}
