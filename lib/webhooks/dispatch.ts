import type { Db } from "../db/client";
import { getBoss } from "../queue/boss";
import { env } from "../config/env";

/**
 * From the outbox to the queue. The dispatcher claims events not yet fanned out (FOR UPDATE
 * SKIP LOCKED: two app servers never take the same ones), creates one delivery per subscribed
 * webhook — unique per (webhook, event), so a repeated fan-out adds nothing — and marks the
 * events, all in one transaction. Then it queues a delivery job for every delivery not queued
 * yet. A crash between the two steps only delays: the next round queues what is left.
 */
export const DELIVER_QUEUE = "webhook-deliver";
export const DISPATCH_QUEUE = "webhook-dispatch";
export const PRUNE_QUEUE = "event-prune";

const BATCH = 200;

export async function fanOutEvents(db: Db): Promise<number> {
  return db.$transaction(async (tx) => {
    const events = await tx.$queryRaw<{ id: bigint }[]>`
      SELECT id FROM events WHERE fanned_out_at IS NULL ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
    if (!events.length) return 0;
    const ids = events.map((e) => e.id);
    // A webhook receives the events that happened after it was created, of the types it names.
    await tx.$executeRaw`
      INSERT INTO webhook_deliveries (webhook_id, event_id)
      SELECT w.id, e.id FROM events e
        JOIN webhooks w ON w.customer_id = e.customer_id AND e.type = ANY (w.events) AND w.created_at <= e.created_at
       WHERE e.id = ANY (${ids})
      ON CONFLICT (webhook_id, event_id) DO NOTHING`;
    await tx.$executeRaw`UPDATE events SET fanned_out_at = now() WHERE id = ANY (${ids})`;
    return ids.length;
  });
}

/** Sends one queue job for a delivery (new, test or redelivered) and notes that it did. */
export async function queueDelivery(db: Db, deliveryId: bigint): Promise<void> {
  const boss = await getBoss();
  // Retry settings go with each job (not the queue), so a changed setting applies to new deliveries.
  await boss.send(
    DELIVER_QUEUE,
    { delivery_id: deliveryId.toString() },
    {
      retryLimit: env("WEBHOOK_RETRY_LIMIT"),
      retryDelay: env("WEBHOOK_RETRY_DELAY_SECONDS"),
      retryBackoff: true,
      // pg-boss gives up on a handler after this long; the attempt itself times out well before.
      expireInSeconds: Math.ceil(env("WEBHOOK_TIMEOUT_SECONDS")) + 30,
    },
  );
  await db.webhookDelivery.updateMany({ where: { id: deliveryId, queuedAt: null }, data: { queuedAt: new Date() } });
}

/** Queues the deliveries no queue job was sent for yet; a duplicate job is harmless (see delivery.ts). */
export async function queuePendingDeliveries(db: Db): Promise<number> {
  const rows = await db.webhookDelivery.findMany({
    where: { queuedAt: null },
    select: { id: true },
    orderBy: { id: "asc" },
    take: 500,
  });
  for (const r of rows) await queueDelivery(db, r.id);
  return rows.length;
}

/**
 * Removes the oldest events past EVENT_RETENTION_DAYS, with their deliveries and attempt log
 * (cascade), once they are fanned out and none of their deliveries is still pending or being
 * sent. Looks only at the oldest events by id (ids grow with time), so a call costs a short
 * primary-key scan however large the outbox is; returns how many went.
 */
export async function pruneEvents(db: Db, limit = 1000): Promise<number> {
  const days = env("EVENT_RETENTION_DAYS");
  if (!days) return 0;
  return db.$executeRaw`
    DELETE FROM events WHERE id IN (
      SELECT e.id FROM (SELECT id, created_at, fanned_out_at FROM events ORDER BY id LIMIT ${limit}) e
       WHERE e.fanned_out_at IS NOT NULL AND e.created_at < now() - make_interval(days => ${days}::int)
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.state IN ('pending', 'sending')))`;
}

/** Repeats a batch step while it handles a full batch (a short one was the last); the total handled. */
async function drain(step: () => Promise<number>, batch: number): Promise<number> {
  let total = 0;
  for (let n = await step(); n > 0; n = n === batch ? await step() : 0) total += n;
  return total;
}

/** One pruning round (a scheduled job, not every dispatcher round): batches until none is left. */
export async function pruneAllEvents(db: Db, batch = 1000): Promise<number> {
  return drain(() => pruneEvents(db, batch), batch);
}

/** One dispatcher round: fan out everything waiting, then queue it. */
export async function dispatchWebhooks(db: Db): Promise<{ events: number; queued: number }> {
  const events = await drain(() => fanOutEvents(db), BATCH);
  return { events, queued: await queuePendingDeliveries(db) };
}
