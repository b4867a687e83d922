import { PrismaClient, type Prisma } from "../generated/prisma/client";
import { databaseConfig } from "./config";
import { migrate } from "./migrate";
import { openPGlite, pgliteDriver, postgresDriver } from "./sql-driver";
import { env } from "../config/env";
import { logger } from "../ops/logger";

export type Db = PrismaClient;

/**
 * How pg-boss (lib/queue/boss.ts) reaches the process's database: on PostgreSQL it opens its
 * own small pool from the URL; on PGlite it must share the one instance, through executeSql.
 */
export type RawSql =
  | { kind: "postgres"; url: string }
  | { kind: "pglite"; executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };

interface Connected {
  prisma: PrismaClient;
  raw: RawSql;
  close: () => Promise<void>;
}

interface DbState {
  prisma: Promise<PrismaClient>;
  connected: Promise<Connected>;
  close: () => Promise<void>;
}

// One client per process. Next.js bundles each route separately, so module-level state
// would be duplicated; globalThis is the one place they all share. PGlite in particular
// must be opened once: its data folder admits a single owner.
const globalKey = Symbol.for("benchboard.db");
type GlobalWithDb = typeof globalThis & { [globalKey]?: DbState };

async function connect(): Promise<Connected> {
  const config = databaseConfig();
  if (config.kind === "postgres") {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const driver = await postgresDriver(config.url);
    try {
      await migrate(driver);
    } finally {
      await driver.close();
    }
    const { default: pgmod } = await import("pg");
    // Prisma's adapter runs on this pool, and directQuery() sends the hottest statements
    // through it without Prisma's layer.
    const pool = new pgmod.Pool({ connectionString: config.url, max: env("DATABASE_POOL_SIZE") });
    // An idle connection the server closes (a restart, a terminated backend) is dropped from
    // the pool, which emits it here; unheard, it would crash the process. The next query
    // opens a new connection.
    pool.on("error", (err) => logger().warn({ err }, "an idle database connection closed"));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    // Timestamps read by position rather than by pg's regular expressions (lib/db/timestamptz.ts).
    const { directQueryTypes: types } = await import("./timestamptz");
    directQueries.set(
      prisma,
      async (sql, name) => (await pool.query({ name, text: sql.text, values: sql.values as unknown[], types })).rows,
    );
    const raw: RawSql = { kind: "postgres", url: config.url };
    return {
      prisma,
      raw,
      close: async () => {
        await prisma.$disconnect();
        await pool.end().catch(() => undefined);
      },
    };
  }
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const pglite =
    config.dataDir === "memory://"
      ? await (await import("./pglite-template")).openMigratedMemoryPGlite()
      : await openPGlite(config.dataDir);
  // The embedded database creates its own schema on first start.
  await migrate(pgliteDriver(pglite, false));
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const raw: RawSql = {
    kind: "pglite",
    // PGlite is one connection; its own mutex orders these calls with Prisma's transactions.
    // pg-boss sends its schema scripts as several statements without parameters: exec runs them.
    executeSql: async (text, values) => {
      if (values && values.length) return { rows: (await pglite.query<Record<string, unknown>>(text, values)).rows };
      const results = await pglite.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    },
  };
  return {
    prisma,
    raw,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

type DirectQuery = (sql: Prisma.Sql, name?: string) => Promise<unknown[]>;
const directQueries = new WeakMap<PrismaClient, DirectQuery>();

/**
 * A raw statement straight through the PostgreSQL pool, without Prisma's query layer: for the
 * agent's write statement and registration, run for every upload and join (README "Ingest and
 * many nodes": about 0.55 ms of the 1.64 ms a single upload took). Parameters go untyped, as
 * text, so the statement casts each one whose type PostgreSQL cannot infer from its use. On
 * PGlite, and for a transaction's client, it is $queryRaw. Columns come back as `pg` parses
 * them: int8 as a string, json as an object.
 *
 * `prepared` names a statement whose text never changes (only its parameters do): each pool
 * connection then parses and plans it once and runs it by name afterwards. The agent's
 * statements are long CTEs, and parsing and planning them again on every upload and join was
 * PostgreSQL's largest cost in a burst of 200 nodes (docs/benchmark-history.md). Never
 * for a statement whose text is built from the input: each distinct text would stay prepared
 * on every connection.
 */
export async function directQuery<T>(db: Db, sql: Prisma.Sql, prepared?: string): Promise<T[]> {
  const direct = directQueries.get(db);
  return (direct ? direct(sql, prepared) : db.$queryRaw(sql)) as Promise<T[]>;
}

/** The process's Prisma client, connected and migrated on first use. */
export function getDb(): Promise<PrismaClient> {
  const g = globalThis as GlobalWithDb;
  if (!g[globalKey]) {
    const connecting = connect();
    g[globalKey] = {
      prisma: connecting.then((c) => c.prisma),
      connected: connecting,
      close: async () => (await connecting).close(),
    };
    // A failed connect must not be cached forever: the next request tries again.
    connecting.catch(() => {
      delete g[globalKey];
    });
  }
  return g[globalKey]!.prisma;
}

/** Raw SQL on the same database (and, for PGlite, the same instance) as getDb(). */
export async function getRawSql(): Promise<RawSql> {
  await getDb();
  return (await (globalThis as GlobalWithDb)[globalKey]!.connected).raw;
}

const closeHooksKey = Symbol.for("benchboard.db.closeHooks");
type GlobalWithHooks = typeof globalThis & { [closeHooksKey]?: Set<() => Promise<void>> };

/** Runs before the database closes: users of getRawSql (the queue) stop first. */
export function onDbClose(hook: () => Promise<void>): () => void {
  const g = globalThis as GlobalWithHooks;
  const hooks = (g[closeHooksKey] ??= new Set());
  hooks.add(hook);
  return () => hooks.delete(hook);
}

export async function closeDb(): Promise<void> {
  const g = globalThis as GlobalWithDb & GlobalWithHooks;
  for (const hook of [...(g[closeHooksKey] ?? [])]) await hook();
  const state = g[globalKey];
  delete g[globalKey];
  if (state) await state.close();
}
