import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

// Run from anywhere: paths below are relative to the repository root.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Serves the production build on a fresh database seeded with demo data, and removes both
 * afterwards. The returned function is Playwright's global teardown.
 *   E2E_PORT               port to serve on (default 3100)
 *   E2E_DATABASE_BASE_URL  a PostgreSQL server URL: a new database is created on it (and
 *                          dropped afterwards); unset → embedded PGlite in a temp folder
 *   E2E_DEMO_JOBS          demo jobs to seed (default 60; every state is still represented)
 */
export default async function globalSetup() {
  if (!fs.existsSync(path.join(ROOT, ".next/BUILD_ID")))
    throw new Error("No production build: run `npx next build` before the e2e suite.");
  const port = Number(process.env.E2E_PORT ?? 3100);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "benchboard-e2e-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCHBOARD_DATA_DIR: dataDir,
    BENCHBOARD_DEMO: "1",
    BENCHBOARD_DEMO_JOBS: process.env.E2E_DEMO_JOBS ?? "60",
    // The demo's live jobs have no agent; keep them starting/running for the whole run.
    AGENT_HEARTBEAT_TIMEOUT_SECONDS: "86400",
    // Schedules tick in seconds, so a schedule's run shows up while the test watches.
    SCHEDULE_TICK_SECONDS: "1",
    SCHEDULE_MIN_INTERVAL_SECONDS: "1",
    AUTH_SECRET: randomBytes(32).toString("hex"),
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
  };
  delete env.PGLITE_DATA_DIR;
  delete env.DATABASE_URL;

  const pgDatabase = process.env.E2E_DATABASE_BASE_URL ? await createDatabase(process.env.E2E_DATABASE_BASE_URL) : null;
  if (pgDatabase) env.DATABASE_URL = pgDatabase.url;

  let server: ChildProcess | null = null;
  const teardown = async () => {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      process.kill(-server.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null) process.kill(-server.pid, "SIGKILL");
    }
    if (pgDatabase) await pgDatabase.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    // The served agent bundle (dist/, not part of `next build`): seconds, so always rebuilt.
    const bundle = spawnSync(process.execPath, ["scripts/build-agent.mjs"], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (bundle.status !== 0) throw new Error(`scripts/build-agent.mjs failed (exit ${bundle.status})`);
    for (const script of ["scripts/db-migrate.ts", "scripts/db-seed.ts"]) {
      const r = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), [script], {
        cwd: ROOT,
        env,
        stdio: ["ignore", "inherit", "inherit"],
      });
      if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status})`);
    }
    // Own process group, so teardown stops next start and anything it spawned.
    server = spawn(path.join(ROOT, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    });
    server.stdout!.on("data", (d) => process.env.E2E_VERBOSE && process.stdout.write(d));
    await waitForServer(`http://127.0.0.1:${port}/signin`, server);
  } catch (e) {
    await teardown();
    throw e;
  }
  return teardown;
}

async function waitForServer(url: string, server: ChildProcess) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode} (port in use?)`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Server did not answer ${url} within 60 s`);
}

async function createDatabase(baseUrl: string) {
  const name = `benchboard_e2e_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
