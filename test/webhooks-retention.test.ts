import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { useFreshDatabase } from "./helpers/db";
import { api, V1 } from "./helpers/api";
import { signedInUser } from "./helpers/users";
import { getDb } from "../lib/db/client";
import { emitEvent } from "../lib/events/outbox";
import { fanOutEvents, pruneAllEvents, pruneEvents } from "../lib/webhooks/dispatch";

// The outbox does not grow forever: events past EVENT_RETENTION_DAYS go with their deliveries
// and attempt log, but only once nothing is still to be sent for them.

let teardown: () => Promise<void>;
before(async () => ({ teardown } = await useFreshDatabase()));
after(() => teardown());

test("events past retention go with their deliveries and attempts; pending, recent and undispatched ones stay", async () => {
  const admin = await signedInUser("customer_admin", "Retention Co");
  const hook = await api.post(`${V1}/webhooks`, {
    token: admin.token,
    body: { url: "https://hooks.example.com/retention", events: ["job.completed"] },
  });
  assert.equal(hook.status, 201, hook.text);
  const db = await getDb();
  const { customerId } = await db.user.findUniqueOrThrow({ where: { id: admin.id } });
  const emit = () => emitEvent(db, customerId!, "job.completed", { job: { id: "1" } });
  // Created after the webhook, so each is fanned out to it.
  const [done, failed, pending, recent] = [await emit(), await emit(), await emit(), await emit()];
  assert.equal(await fanOutEvents(db), 4);
  const undispatched = await emit();
  const deliveryOf = async (eventId: bigint) =>
    db.webhookDelivery.findFirstOrThrow({ where: { eventId } }).then((d) => d.id);
  await db.webhookDelivery.update({ where: { id: await deliveryOf(done.id) }, data: { state: "succeeded" } });
  await db.webhookDelivery.update({ where: { id: await deliveryOf(failed.id) }, data: { state: "failed" } });
  await db.webhookDelivery.update({ where: { id: await deliveryOf(recent.id) }, data: { state: "succeeded" } });
  await db.webhookDeliveryAttempt.create({
    data: { deliveryId: await deliveryOf(done.id), startedAt: new Date(), statusCode: 200, latencyMs: 12 },
  });
  // All but `recent` are 31 days old.
  await db.$executeRaw`UPDATE events SET created_at = now() - interval '31 days' WHERE id <> ${recent.id}`;

  process.env.EVENT_RETENTION_DAYS = "0";
  assert.equal(await pruneEvents(db), 0, "0 keeps everything");
  delete process.env.EVENT_RETENTION_DAYS;
  // Batches of one: a round goes on until a batch finds nothing past retention.
  assert.equal(await pruneAllEvents(db, 1), 2);

  const left = (await db.event.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((e) => e.id);
  assert.deepEqual(left, [pending.id, recent.id, undispatched.id]);
  assert.equal(await db.webhookDelivery.count({ where: { eventId: { in: [done.id, failed.id] } } }), 0);
  assert.equal(await db.webhookDeliveryAttempt.count(), 0, "the attempt log went with its delivery");
  assert.equal(await pruneEvents(db), 0, "a second round finds nothing more");
});
