import { PrismaClient } from "../generated/prisma/client";
import { databaseConfig } from "./config";
import { migrate } from "./migrate";
import { openPGlite, pgliteDriver, postgresDriver } from "./sql-driver";
import { env } from "../config/env";

export type Db = PrismaClient;

interface DbState {
  prisma: Promise<PrismaClient>;
  close: () => Promise<void>;
}

// One client per process. Next.js bundles each route separately, so module-level state
// would be duplicated; globalThis is the one place they all share. PGlite in particular
// must be opened once: its data folder admits a single owner.
const globalKey = Symbol.for("benchboard.db");
type GlobalWithDb = typeof globalThis & { [globalKey]?: DbState };

async function connect(): Promise<{ prisma: PrismaClient; close: () => Promise<void> }> {
  const config = databaseConfig();
  if (config.kind === "postgres") {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const driver = await postgresDriver(config.url);
    try {
      await migrate(driver);
    } finally {
      await driver.close();
    }
    const prisma = new PrismaClient({
      adapter: new PrismaPg({ connectionString: config.url, max: env("DATABASE_POOL_SIZE") }),
    });
    return { prisma, close: () => prisma.$disconnect() };
  }
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const pglite = await openPGlite(config.dataDir);
  // The embedded database creates its own schema on first start.
  await migrate(pgliteDriver(pglite, false));
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/** The process's Prisma client, connected and migrated on first use. */
export function getDb(): Promise<PrismaClient> {
  const g = globalThis as GlobalWithDb;
  if (!g[globalKey]) {
    const connecting = connect();
    g[globalKey] = {
      prisma: connecting.then((c) => c.prisma),
      close: async () => (await connecting).close(),
    };
    // A failed connect must not be cached forever: the next request tries again.
    connecting.catch(() => {
      delete g[globalKey];
    });
  }
  return g[globalKey]!.prisma;
}

export async function closeDb(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const state = g[globalKey];
  delete g[globalKey];
  if (state) await state.close();
}
