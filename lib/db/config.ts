import path from "node:path";
import { env, type EnvSource } from "../config/env";

/** Where the data lives: PGlite in a folder (embedded default) or a PostgreSQL server. */
export type DatabaseConfig = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

export function dataDir(): string {
  return path.resolve(env("BENCHBOARD_DATA_DIR"));
}

export function databaseConfig(source: EnvSource = process.env): DatabaseConfig {
  const url = env("DATABASE_URL", source);
  if (url) {
    return { kind: "postgres", url };
  }
  // "memory://" keeps PGlite in memory (tests); anything else is a folder.
  const dir = env("PGLITE_DATA_DIR", source) || path.join(dataDir(), "pglite");
  return { kind: "pglite", dataDir: dir };
}
