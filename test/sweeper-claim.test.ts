// Periodic work across app instances: one sweep per round among all instances
// (lib/ops/periodic-claim.ts), and migrations safe when instances start together on an empty
// PostgreSQL (lib/db/migrate.ts). test/scale-out.test.ts proves the same through two real
// `next start` instances; this file needs no build and runs in every test pass.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import pg from "pg";
import { createEmptyDatabase, useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { getDb } from "../lib/db/client";
import { migrate, readMigrations } from "../lib/db/migrate";
import { postgresDriver } from "../lib/db/sql-driver";
import { claimRound } from "../lib/ops/periodic-claim";
import { SWEEP_CLAIM, sweepRound } from "../lib/jobs/sweeper";

let teardown: () => Promise<void>;
let kind: "postgres" | "pglite";
before(async () => ({ teardown, kind } = await useFreshDatabase()));
after(() => teardown());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("periodic claims", () => {
  test("of many instances claiming one round at once, exactly one wins; the next round is free after the lease", async () => {
    const db = await getDb();
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => claimRound(db, "test_round", 60_000, `instance-${i}`)),
    );
    assert.equal(claims.filter(Boolean).length, 1, `winners: ${claims}`);
    const winner = `instance-${claims.indexOf(true)}`;
    const row = await db.periodicClaim.findUniqueOrThrow({ where: { name: "test_round" } });
    assert.equal(row.claimedBy, winner);

    assert.equal(await claimRound(db, "test_round", 60_000, "latecomer"), false, "within the lease");
    assert.equal(await claimRound(db, "another_task", 60_000, "latecomer"), true, "rounds of other tasks are apart");
    await sleep(50);
    // A caller whose lease (here 20 ms) has passed since the last claim takes the next round.
    assert.equal(await claimRound(db, "test_round", 20, "latecomer"), true, "after the lease");
    assert.equal((await db.periodicClaim.findUniqueOrThrow({ where: { name: "test_round" } })).claimedBy, "latecomer");
  });

  test("sweeper ticks at once end a job whose node stopped heartbeating once: one tick sweeps, the others skip", async () => {
    const db = await getDb();
    const owner = await signedInUser("user", "Sweep Co");
    const job = await api.post(`${V1}/jobs`, {
      token: owner.token,
      body: { name: "lost node", benchmarks: ["quick_mark"], node_count: 1 },
    });
    assert.equal(job.status, 201, job.text);
    const reg = await api.post(`${V1}/jobs/current/tasks`, {
      token: job.body.token,
      body: {
        machine_uuid: "node-lost",
        machine_ip: "10.0.0.9",
        hostname: "n9",
        gpu_model: "NVIDIA H100",
        gpu_count: 8,
      },
    });
    assert.equal(reg.status, 201, reg.text);
    await db.task.update({
      where: { id: BigInt(reg.body.id) },
      data: { lastHeartbeatAt: new Date(Date.now() - 3600_000) },
    });
    await db.periodicClaim.deleteMany({ where: { name: SWEEP_CLAIM } });

    const reports = await Promise.all([sweepRound(db, 60_000), sweepRound(db, 60_000), sweepRound(db, 60_000)]);
    const swept = reports.filter((r) => r !== null);
    assert.equal(swept.length, 1, "one tick claimed the round");
    assert.deepEqual(swept[0]!.lostNodes, [BigInt(job.body.id)]);
    const ended = await db.job.findUniqueOrThrow({ where: { id: BigInt(job.body.id) } });
    assert.equal(ended.state, "aborted");
    assert.match(ended.failedMessage ?? "", /node-lost stopped heartbeating/);
  });
});

describe("migrations when instances start together", () => {
  const skip = () => (kind === "postgres" ? false : "PGlite has one owner per data folder: nothing starts together");
  const base = process.env.TEST_DATABASE_URL;

  const emptyDatabase = () => createEmptyDatabase(base!, "benchboard_t_mig");

  async function appliedMigrations(url: string) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = (await c.query(`SELECT name FROM "_benchboard_migrations" ORDER BY name`)).rows.map((r) => r.name);
    await c.end();
    return rows;
  }

  test("six connections migrating one empty database at once: one applies every migration, none fails", async (t) => {
    if (skip()) return t.skip(skip() as string);
    const db = await emptyDatabase();
    try {
      const drivers = await Promise.all(Array.from({ length: 6 }, () => postgresDriver(db.url)));
      try {
        const applied = await Promise.all(drivers.map((d) => migrate(d)));
        const all = readMigrations().map((m) => m.name);
        assert.deepEqual(
          applied.map((a) => a.length).sort((x, y) => y - x),
          [all.length, 0, 0, 0, 0, 0],
        );
        assert.deepEqual(await appliedMigrations(db.url), all);
      } finally {
        await Promise.all(drivers.map((d) => d.close()));
      }
    } finally {
      await db.drop();
    }
  });

  test("three `npm run db:migrate` processes started together on an empty database all succeed", async (t) => {
    if (skip()) return t.skip(skip() as string);
    const db = await emptyDatabase();
    try {
      const runs = await Promise.all(
        Array.from(
          { length: 3 },
          () =>
            new Promise<{ code: number | null; out: string }>((resolve) => {
              const child = spawn(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts"], {
                env: { ...process.env, DATABASE_URL: db.url },
                stdio: ["ignore", "pipe", "pipe"],
              });
              let out = "";
              child.stdout.on("data", (d) => (out += d));
              child.stderr.on("data", (d) => (out += d));
              child.on("exit", (code) => resolve({ code, out }));
            }),
        ),
      );
      for (const r of runs) assert.equal(r.code, 0, r.out);
      assert.equal(runs.filter((r) => r.out.includes("Applied ")).length, 1, runs.map((r) => r.out).join("\n"));
      assert.deepEqual(
        await appliedMigrations(db.url),
        readMigrations().map((m) => m.name),
      );
    } finally {
      await db.drop();
    }
  });
});
