// The in-memory embedded database every test file opens starts from a migrated copy
// (lib/db/pglite-template.ts): built by the first start, used by the next, rebuilt when it
// cannot be read.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migratedCopyPath, openMigratedMemoryPGlite } from "../lib/db/pglite-template";
import { migrate, readMigrations } from "../lib/db/migrate";
import { openPGlite, pgliteDriver } from "../lib/db/sql-driver";

const applied = async (db: Awaited<ReturnType<typeof openPGlite>>) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_benchboard_migrations"`)).rows[0].n;
const hasMarker = async (db: Awaited<ReturnType<typeof openPGlite>>) =>
  (await db.query(`SELECT 1 FROM pg_tables WHERE tablename = 'copy_marker'`)).rows.length === 1;

// A temporary folder of this file's own: the test files running beside it share the real copy.
process.env.TMPDIR = fs.mkdtempSync(path.join(os.tmpdir(), "benchboard-copy-"));

test("the first start writes the migrated copy, the next starts from it, an unreadable one is rebuilt", async () => {
  const file = migratedCopyPath();
  assert.ok(file.startsWith(process.env.TMPDIR!));
  try {
    const first = await openMigratedMemoryPGlite();
    assert.equal(await applied(first), readMigrations().length);
    assert.ok(fs.existsSync(file), "the copy is written");
    await first.close();

    // A copy that carries a marker table: a start that has it came from the copy.
    const marked = await openPGlite("memory://");
    await migrate(pgliteDriver(marked, false));
    await marked.exec("CREATE TABLE copy_marker (x int)");
    fs.writeFileSync(file, Buffer.from(await (await marked.dumpDataDir("none")).arrayBuffer()));
    await marked.close();
    const fromCopy = await openMigratedMemoryPGlite();
    assert.ok(await hasMarker(fromCopy), "started from the copy");
    assert.equal(await applied(fromCopy), readMigrations().length);
    await fromCopy.close();

    fs.writeFileSync(file, "not a tar file");
    const rebuilt = await openMigratedMemoryPGlite();
    assert.equal(await applied(rebuilt), readMigrations().length);
    assert.equal(await hasMarker(rebuilt), false);
    await rebuilt.close();
    const again = await openMigratedMemoryPGlite();
    assert.equal(await applied(again), readMigrations().length, "the rebuilt copy is readable");
    await again.close();
  } finally {
    fs.rmSync(process.env.TMPDIR!, { recursive: true, force: true });
  }
});
