import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDb, getDb } from "../../lib/db/client";

/**
 * One fresh database per test file. TEST_DATABASE_URL (a PostgreSQL server URL) → a new
 * database created on that server and dropped afterwards; otherwise in-memory PGlite.
 */
export async function useFreshDatabase(): Promise<{ teardown: () => Promise<void>; kind: "postgres" | "pglite" }> {
  process.env.BENCHBOARD_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "benchboard-test-"));
  process.env.AUTH_SECRET ??= "test-secret-" + randomBytes(8).toString("hex");
  process.env.BCRYPT_COST ??= "4";
  // The 1-s readiness budget is for production; test files run three at a time on a 2-core CI
  // machine, where a healthy database can take longer to answer. Unreachable ones still fail
  // at once (connection refused).
  process.env.HEALTH_CHECK_TIMEOUT_MS ??= "10000";
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DATA_DIR = "memory://";
    await getDb();
    return { kind: "pglite", teardown: closeDb };
  }
  const db = await createEmptyDatabase(base);
  process.env.DATABASE_URL = db.url;
  await getDb();
  return {
    kind: "postgres",
    teardown: async () => {
      await closeDb();
      await db.drop();
    },
  };
}

/**
 * A new, empty database on the PostgreSQL server `base` (nothing migrated): its URL, and
 * `drop` to remove it (with any connections still open to it).
 */
export async function createEmptyDatabase(base: string, prefix = "benchboard_t") {
  const { default: pg } = await import("pg");
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const sql = async (statement: string) => {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  await sql(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
