// The background-work foundation of continuous validation: pg-boss over the app's own
// database (PGlite or PostgreSQL), jobs aimed at machines, and the transactional outbox.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { getDb } from "../lib/db/client";
import { ensureQueue, getBoss, stopBoss } from "../lib/queue/boss";
import { createUser } from "../lib/auth/users";
import { createJob } from "../lib/jobs/commands";
import { createJobSchema } from "../lib/jobs/schemas";
import { emitEvent, envelopeOf, eventEnvelopeSchema } from "../lib/events/outbox";

let teardown: () => Promise<void>;
before(async () => {
  ({ teardown } = await useFreshDatabase());
});
after(async () => {
  await teardown();
});

test("a job sent to a queue reaches its worker, on the embedded database as on PostgreSQL", async () => {
  const boss = await ensureQueue("foundation-test", { retryLimit: 2 });
  const seen: unknown[] = [];
  const got = new Promise<void>((resolve) => {
    void boss.work<{ n: number }>("foundation-test", { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      seen.push(job.data);
      resolve();
    });
  });
  await boss.send("foundation-test", { n: 42 });
  await got;
  assert.deepEqual(seen, [{ n: 42 }]);
  // A second ensureQueue is harmless (every instance calls it at start).
  await ensureQueue("foundation-test");
});

test("a job survives the queue stopping before anyone worked it", async () => {
  const boss = await ensureQueue("foundation-durable");
  const id = await boss.send("foundation-durable", { kept: true });
  await stopBoss();
  const again = await getBoss();
  const job = await again.getJobById("foundation-durable", id!);
  assert.equal(job?.state, "created");
  assert.deepEqual(job?.data, { kept: true });
});

test("a job can be aimed at machines and says why it exists", async () => {
  const db = await getDb();
  const user = await createUser(db, { email: "owner@cv.test", password: "x".repeat(12), role: "user", customer: "CV" });
  const { customerId } = await db.user.findUniqueOrThrow({ where: { id: user.id } });
  const m = await db.machine.create({ data: { uuid: "m-1", customerId, enrolledAt: new Date() } });
  const input = createJobSchema.parse({ name: "confirm-1", node_count: 1, benchmarks: ["quick_mark"] });
  const job = await createJob(db, { customerId, userId: user.id }, input, {
    origin: "confirmation",
    machineIds: [m.id],
    confirmsTaskId: 123n,
  });
  const row = await db.job.findUniqueOrThrow({ where: { id: BigInt(job.id) }, include: { targets: true } });
  assert.equal(row.origin, "confirmation");
  assert.equal(row.confirmsTaskId, 123n);
  assert.deepEqual(
    row.targets.map((t) => t.machineId),
    [m.id],
  );
});

test("an event exists exactly when the change it reports was committed", async () => {
  const db = await getDb();
  const customer = await db.customer.create({ data: { name: "Outbox" } });
  await assert.rejects(
    db.$transaction(async (tx) => {
      await emitEvent(tx, customer.id, "job.failed", { job_id: "1" });
      throw new Error("the change is rolled back");
    }),
  );
  assert.equal(await db.event.count({ where: { customerId: customer.id } }), 0);
  const ev = await db.$transaction((tx) => emitEvent(tx, customer.id, "job.completed", { job_id: "2" }));
  const envelope = eventEnvelopeSchema.parse(envelopeOf(ev));
  assert.equal(envelope.type, "job.completed");
  assert.deepEqual(envelope.data, { job_id: "2" });
});

test("servers starting together may all create the same queue; every one of them gets it", async () => {
  const boss = await getBoss();
  await Promise.all(Array.from({ length: 6 }, () => ensureQueue("foundation-race", { policy: "stately" })));
  assert.equal((await boss.getQueue("foundation-race"))?.policy, "stately");
});
