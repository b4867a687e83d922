import PgBoss from "pg-boss";
import { getRawSql, onDbClose } from "../db/client";
import { env } from "../config/env";

// Background work (schedule ticks, confirmation re-runs, webhook deliveries) goes through
// pg-boss, a job queue kept in the application's own database: durable across restarts,
// claimed with SKIP LOCKED so two app servers never take the same job, with retries, backoff
// and singleton keys. It runs on PostgreSQL and on the embedded PGlite alike (docs/architecture.md,
// "Background work").

const key = Symbol.for("benchboard.queue");
type GlobalWithBoss = typeof globalThis & { [key]?: Promise<PgBoss> };

async function startBoss(): Promise<PgBoss> {
  const raw = await getRawSql();
  const common = { schema: "pgboss", application_name: "benchboard-queue" } as const;
  const boss =
    raw.kind === "postgres"
      ? new PgBoss({ ...common, connectionString: raw.url, max: env("QUEUE_POOL_SIZE") })
      : new PgBoss({ ...common, db: { executeSql: raw.executeSql } });
  boss.on("error", (err) =>
    console.error(JSON.stringify({ level: "error", msg: "queue error", err: String(err?.message ?? err) })),
  );
  await boss.start();
  return boss;
}

/** The process's pg-boss, started on first use; stopped before the database closes. */
export function getBoss(): Promise<PgBoss> {
  const g = globalThis as GlobalWithBoss;
  if (!g[key]) {
    const starting = startBoss();
    g[key] = starting;
    starting.catch(() => {
      delete g[key];
    });
    const unhook = onDbClose(async () => {
      unhook();
      await stopBoss();
    });
  }
  return g[key]!;
}

export async function stopBoss(): Promise<void> {
  const g = globalThis as GlobalWithBoss;
  const starting = g[key];
  delete g[key];
  if (!starting) return;
  const boss = await starting.catch(() => null);
  // wait: in-flight handlers finish (or time out) before the database closes under them.
  await boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
}

/** Creates the queue if it does not exist yet (createQueue is not idempotent across versions). */
export async function ensureQueue(name: string, options: Omit<PgBoss.Queue, "name"> = {}): Promise<PgBoss> {
  const boss = await getBoss();
  if (!(await boss.getQueue(name))) {
    try {
      await boss.createQueue(name, { ...options, name });
    } catch (err) {
      // Another instance created it between our check and our insert.
      if (!(await boss.getQueue(name))) throw err;
    }
  }
  return boss;
}
