// Shared by the agent benchmarks (bench/ingest.ts, bench/nodes.ts): a fresh database, an
// account, and a job to send agents to, made the way an operator and an engineer would.
import { spawn } from "node:child_process";
import pg from "pg";

export const BENCH_USER = { email: "agents@bench.local", password: "bench-password" };

/** Drops and recreates `name` on the PostgreSQL server `baseUrl`; returns its URL. */
export async function freshPostgres(baseUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name must be a plain identifier, got '${name}'`);
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) =>
    spawn(cmd, args, { env, stdio: ["ignore", "ignore", "inherit"] }).on("exit", (c) =>
      c === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${c}`)),
    ),
  );
}

/** Migrates the database of `env` and creates the benchmark's account (before the server owns a PGlite folder). */
export async function prepareDatabase(env: NodeJS.ProcessEnv): Promise<void> {
  await run("npx", ["tsx", "scripts/db-migrate.ts"], env);
  await run(
    "npx",
    [
      "tsx",
      "scripts/user-create.ts",
      "--email",
      BENCH_USER.email,
      "--password",
      BENCH_USER.password,
      "--role",
      "customer_admin",
      "--customer",
      "Bench",
    ],
    env,
  );
}

/** Signs in as the benchmark's account and creates a job; returns its id and agent token. */
export async function createJob(
  baseUrl: string,
  body: Record<string, unknown>,
): Promise<{ id: string; token: string }> {
  const v1 = `${baseUrl}/api/silicon-mark/v1`;
  const signin = await fetch(`${v1}/token`, {
    method: "POST",
    body: new URLSearchParams({ username: BENCH_USER.email, password: BENCH_USER.password }),
  });
  const { access_token } = await signin.json();
  const res = await fetch(`${v1}/jobs`, {
    method: "POST",
    headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST /jobs answered ${res.status}: ${await res.text()}`);
  return res.json();
}
