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
  return PGlite.create(dataDir === "memory://" ? undefined : dataDir, { extensions: { pg_trgm }, loadDataDir });
}

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
