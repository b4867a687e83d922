// The benchmark database: created when missing, migrated with the app's own migrations,
// seeded once (a marker row records what was seeded) and vacuumed so that index-only scans
// see an up-to-date visibility map, as they would on a database autovacuum has caught up with.
import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { postgresDriver } from "../lib/db/sql-driver";
import { seed, seedMachines } from "./seed";

export async function ensureDatabase(url: string, reseed: boolean): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    if (reseed) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount;
    if (!exists) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const driver = await postgresDriver(url);
  try {
    const applied = await migrate(driver);
    if (applied.length) console.log(`Migrations applied: ${applied.join(", ")}`);
  } finally {
    await driver.close();
  }
}

export interface SeedInfo {
  jobs: number;
  seconds: number;
  seeded_at: string;
}

/** Seeds `jobs` jobs unless the database already holds that seed; returns what is there. */
export async function ensureSeeded(url: string, jobs: number): Promise<SeedInfo & { reused: boolean }> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(
      `CREATE TABLE IF NOT EXISTS bench_seed_info (jobs int NOT NULL, seconds float8 NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now())`,
    );
    const prior = (await db.query<SeedInfo>(`SELECT jobs, seconds, seeded_at FROM bench_seed_info`)).rows[0];
    if (prior) {
      if (prior.jobs !== jobs)
        throw new Error(`${url} holds a seed of ${prior.jobs} jobs, not ${jobs}: run with --reseed`);
      // A seed made before the fleet was seeded: add it rather than seed everything again.
      if (!(await db.query(`SELECT 1 FROM machines LIMIT 1`)).rowCount) await seedMachines(db);
      return { ...prior, seeded_at: new Date(prior.seeded_at).toISOString(), reused: true };
    }
    const existing = Number((await db.query(`SELECT count(*) FROM jobs`)).rows[0].count);
    if (existing)
      throw new Error(
        `${url} has ${existing} jobs that the benchmark did not seed: point BENCH_DATABASE_URL elsewhere or run with --reseed`,
      );
    console.log(`Seeding ${jobs.toLocaleString("en")} jobs …`);
    const started = performance.now();
    await seed(db, jobs);
    const t = performance.now();
    await db.query(`VACUUM (ANALYZE)`);
    console.log(`  vacuum + analyze in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const seconds = (performance.now() - started) / 1000;
    await db.query(`INSERT INTO bench_seed_info (jobs, seconds) VALUES ($1, $2)`, [jobs, seconds]);
    console.log(`Seeded in ${seconds.toFixed(0)} s`);
    return { jobs, seconds, seeded_at: new Date().toISOString(), reused: false };
  } finally {
    await db.end();
  }
}
