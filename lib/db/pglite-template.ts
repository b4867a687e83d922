import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { migrate, readMigrations } from "./migrate";
import { openPGlite, pgliteDriver } from "./sql-driver";

/**
 * An in-memory embedded database (`PGLITE_DATA_DIR=memory://`, what every test file opens)
 * with the schema already migrated, started from a copy of a migrated one. PGlite's own start
 * (its WebAssembly and `initdb`) takes about 4.3 s on the 2-core CI machine and the migrations
 * 0.3 s; a database loaded from a dump of a migrated one starts in about 1.3 s (README, "CI").
 *
 * The copy is a file in the system's temporary folder named by a hash of PGlite's version and
 * the migrations, so another PGlite or a changed migration makes a new one. The first process
 * to need it builds it; processes that start meanwhile build their own, and the file is
 * replaced by an atomic rename. A copy that
 * cannot be read or written is not used: the database is then started and migrated from
 * scratch. The caller still runs migrate(), which finds nothing to do.
 */
export async function openMigratedMemoryPGlite(): Promise<PGlite> {
  const migrations = readMigrations();
  const file = migratedCopyPath(migrations);
  try {
    const dump = fs.readFileSync(file);
    return await openPGlite("memory://", new Blob([dump]));
  } catch {
    /* no copy yet, or an unreadable one: build it */
  }
  const db = await openPGlite("memory://");
  await migrate(pgliteDriver(db, false), migrations);
  try {
    const dump = Buffer.from(await (await db.dumpDataDir("none")).arrayBuffer());
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, dump);
    fs.renameSync(tmp, file);
  } catch {
    /* a read-only temporary folder: every start migrates */
  }
  return db;
}

/** Where the migrated copy for these migrations and this PGlite is kept. */
export function migratedCopyPath(migrations = readMigrations()): string {
  const hash = createHash("sha256").update(pgliteVersion()).update("\0");
  for (const m of migrations) hash.update(m.name).update("\0").update(m.sql).update("\0");
  return path.join(os.tmpdir(), `benchboard-pglite-${hash.digest("hex").slice(0, 16)}.tar`);
}

/** The installed PGlite's version, read from its package.json in the app's node_modules. */
function pgliteVersion(): string {
  try {
    const pkg = path.join(process.cwd(), "node_modules", "@electric-sql", "pglite", "package.json");
    return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
