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

/**
 * Creates the queue if it does not exist yet. App servers starting together race to create
 * the same queues: PostgreSQL may then abort one of them as a deadlock, or our insert may
 * lose to another's. Either way the queue soon exists; look again after a short, jittered
 * pause, and give up only if it never appears.
 */
export async function ensureQueue(name: string, options: Omit<PgBoss.Queue, "name"> = {}): Promise<PgBoss> {
  const boss = await getBoss();
  for (let attempt = 1; ; attempt++) {
    if (await boss.getQueue(name)) return boss;
    try {
      await boss.createQueue(name, { ...options, name });
      return boss;
    } catch (err) {
      if (attempt >= 5) {
        if (await boss.getQueue(name)) return boss;
        throw err;
      }
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
    }
  }
}
