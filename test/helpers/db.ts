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
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DATA_DIR = "memory://";
    await getDb();
    return { kind: "pglite", teardown: closeDb };
  }
  const { default: pg } = await import("pg");
  const name = `benchboard_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  await getDb();
  return {
    kind: "postgres",
    teardown: async () => {
      await closeDb();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}
