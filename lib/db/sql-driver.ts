import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import { databaseConfig, type DatabaseConfig } from "./config";

/**
 * The smallest raw-SQL surface we need beside Prisma: migrations (multi-statement scripts),
 * the schema check and the benchmark's raw-SQL floor. Same dialect on both engines.
 */
export interface SqlDriver {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** `loadDataDir`: a dump (PGlite's dumpDataDir) to start an in-memory database from. */
export async function openPGlite(dataDir: string, loadDataDir?: Blob): Promise<PGlite> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  if (dataDir !== "memory://") {
    const fs = await import("node:fs");
    fs.mkdirSync(dataDir, { recursive: true });
  }
  const db = await PGlite.create(dataDir === "memory://" ? undefined : dataDir, {
    extensions: { pg_trgm },
    loadDataDir,
  });
  return takingTurns(db);
}

/**
 * PGlite runs each statement synchronously on this thread, and its own queue hands the next
 * caller its turn in a microtask: while statements are queued, the event loop never gets back
 * to reading sockets. When 200 nodes registered at once, requests that need no database (a
 * job's current configuration, answered from memory in 0.2 ms) sat unread for up to 4 s
 * (docs/benchmark-history.md, 2026-12-02). Here calls take turns in one queue, and each turn
 * starts after a setImmediate, so the loop reads its sockets between statements. A
 * transaction's own statements run inside its turn (its `tx`), as before.
 */
function takingTurns(db: PGlite): PGlite {
  let turn: Promise<unknown> = Promise.resolve();
  const queued =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const mine = turn.then(nextTick).then(() => run(...args));
      turn = mine.catch(() => undefined);
      return mine;
    };
  type Tx = Parameters<Parameters<PGlite["transaction"]>[0]>[0];
  // A transaction's statements follow each other without a queue; each yields first as well.
  const yielding = (tx: Tx): Tx => {
    const [query, exec] = [tx.query.bind(tx), tx.exec.bind(tx)];
    return Object.assign(tx, {
      query: async (...args: Parameters<Tx["query"]>) => (await nextTick(), query(...args)),
      exec: async (...args: Parameters<Tx["exec"]>) => (await nextTick(), exec(...args)),
    });
  };
  const transaction = db.transaction.bind(db);
  return Object.assign(db, {
    query: queued(db.query.bind(db)),
    exec: queued(db.exec.bind(db)),
    transaction: queued(<T>(fn: (tx: Tx) => Promise<T>) => transaction((tx) => fn(yielding(tx)))),
  });
}

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

export function pgliteDriver(db: PGlite, ownsDb = true): SqlDriver {
  return {
    async exec(sql) {
      await db.exec(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params)).rows;
    },
    async close() {
      if (ownsDb) await db.close();
    },
  };
}

export async function postgresDriver(url: string): Promise<SqlDriver> {
  const { default: pgmod } = await import("pg");
  const client: pg.Client = new pgmod.Client({ connectionString: url });
  await client.connect();
  return {
    async exec(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async close() {
      await client.end();
    },
  };
}

export async function openSqlDriver(config: DatabaseConfig = databaseConfig()): Promise<SqlDriver> {
  return config.kind === "postgres" ? postgresDriver(config.url) : pgliteDriver(await openPGlite(config.dataDir));
}
