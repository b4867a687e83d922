import path from "node:path";

/** Where the data lives: PGlite in a folder (embedded default) or a PostgreSQL server. */
export type DatabaseConfig =
  | { kind: "pglite"; dataDir: string }
  | { kind: "postgres"; url: string };

export function dataDir(): string {
  return path.resolve(process.env.BENCHBOARD_DATA_DIR ?? ".data");
}

export function databaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(`DATABASE_URL must be a postgres:// or postgresql:// URL (got '${url.split(":")[0]}:…')`);
    }
    return { kind: "postgres", url };
  }
  // "memory://" keeps PGlite in memory (tests); anything else is a folder.
  const dir = env.PGLITE_DATA_DIR?.trim() || path.join(dataDir(), "pglite");
  return { kind: "pglite", dataDir: dir };
}
