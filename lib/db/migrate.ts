import fs from "node:fs";
import path from "node:path";
import type { SqlDriver } from "./sql-driver";

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");

export interface Migration {
  name: string;
  sql: string;
}

/** Migrations in Prisma's layout: prisma/migrations/<timestamp>_<name>/migration.sql, in name order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  // Read from the app's folder at run time (next start runs there; the Dockerfile copies the
  // whole app), so the bundler need not trace it: without the hint Turbopack traced the whole
  // project into the build's file lists and warned on every `next build`.
  return fs
    .readdirSync(/* turbopackIgnore: true */ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8") }));
}

/**
 * Applies pending migrations, each in its own transaction, recording them in
 * `_benchboard_migrations`. An advisory lock keeps app instances starting together on one
 * PostgreSQL from applying the same migration twice. It is taken before anything else,
 * the bookkeeping table included: two concurrent `CREATE TABLE IF NOT EXISTS` of one table
 * can both miss it, and the loser fails on PostgreSQL's catalog unique index
 * (`pg_type_typname_nsp_index`). Returns the names applied.
 */
export async function migrate(db: SqlDriver, migrations = readMigrations()): Promise<string[]> {
  await db.query("SELECT pg_advisory_lock(7554621)");
  try {
    await db.exec(`CREATE TABLE IF NOT EXISTS "_benchboard_migrations" (
      "name" TEXT PRIMARY KEY,
      "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await db.query<{ name: string }>(`SELECT "name" FROM "_benchboard_migrations"`)).map((r) => r.name),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await db.exec("BEGIN");
      try {
        await db.exec(m.sql);
        await db.query(`INSERT INTO "_benchboard_migrations" ("name") VALUES ($1)`, [m.name]);
        await db.exec("COMMIT");
      } catch (err) {
        await db.exec("ROLLBACK");
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`);
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await db.query("SELECT pg_advisory_unlock(7554621)");
  }
}
