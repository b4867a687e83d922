// Two app servers on one PostgreSQL database both run the schedule workers: every tick of a
// schedule creates exactly one job. (PostgreSQL only: the embedded database is one process's.)
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { useFreshDatabase } from "./helpers/db";
import { getDb } from "../lib/db/client";
import { getBoss } from "../lib/queue/boss";
import { createUser } from "../lib/auth/users";

const onPostgres = !!process.env.TEST_DATABASE_URL;
let teardown: () => Promise<void> = async () => undefined;
const instances: ChildProcess[] = [];

before(async () => {
  if (onPostgres) ({ teardown } = await useFreshDatabase());
});
after(async () => {
  for (const p of instances) if (p.exitCode === null) p.kill("SIGKILL");
  await teardown();
});

function startInstance(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/schedule-instance.ts"], {
    env: { ...process.env, SCHEDULE_TICK_SECONDS: "0.5", SCHEDULE_MIN_INTERVAL_SECONDS: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  instances.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => String(d).includes("ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`instance exited with ${code}`)));
  });
}

const stopped = (p: ChildProcess) =>
  new Promise<void>((r) => (p.exitCode !== null ? r() : (p.once("exit", () => r()), p.kill("SIGTERM"))));

test(
  "a schedule ticking in two app processes creates exactly one job per tick",
  { skip: !onPostgres && "needs TEST_DATABASE_URL" },
  async () => {
    const db = await getDb();
    await getBoss(); // the queue's schema exists before the instances race to use it
    const owner = await createUser(db, {
      email: "sched@multi.test",
      password: "x".repeat(12),
      role: "customer_admin",
      customer: "Multi",
    });
    const { customerId } = await db.user.findUniqueOrThrow({ where: { id: owner.id } });
    const machine = await db.machine.create({
      data: { customerId, uuid: "multi-1", enrolledAt: new Date(), agentState: "idle", agentSeenAt: new Date() },
    });
    await Promise.all([startInstance(), startInstance()]);
    const schedule = await db.schedule.create({
      data: {
        customerId,
        userId: owner.id,
        name: "every-2s",
        cron: "*/2 * * * * *",
        benchmarks: [{ benchmark_id: "quick_mark", config: null }],
        targetMachineIds: [machine.id],
        onlyIdle: false,
        activeSince: new Date(),
      },
    });
    // Keep the machine online while the ticks run (nobody long-polls for it here).
    const keepAlive = setInterval(
      () => void db.machine.update({ where: { id: machine.id }, data: { agentSeenAt: new Date() } }),
      1000,
    );
    await new Promise((r) => setTimeout(r, 9000));
    await db.schedule.update({ where: { id: schedule.id }, data: { paused: true } });
    clearInterval(keepAlive);
    await Promise.all(instances.map(stopped));

    const runs = await db.scheduleRun.findMany({ where: { scheduleId: schedule.id }, orderBy: { tickAt: "asc" } });
    const jobs = await db.job.findMany({ where: { tags: { has: "schedule:every-2s" } } });
    assert.ok(runs.length >= 3, `ticks ran: ${runs.length}`);
    assert.ok(
      runs.every((r) => r.jobId !== null),
      JSON.stringify(runs.map((r) => r.skippedReason)),
    );
    assert.equal(jobs.length, runs.length, "one job per tick, never two");
    assert.equal(new Set(runs.map((r) => r.tickAt.toISOString())).size, runs.length);
    assert.deepEqual(jobs.map((j) => j.id).sort(), runs.map((r) => r.jobId!).sort());
    for (const r of runs) assert.equal(r.tickAt.getUTCSeconds() % 2, 0, "ticks fall on the cron's seconds");
  },
);
