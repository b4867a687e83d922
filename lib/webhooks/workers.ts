import type PgBoss from "pg-boss";
import { getDb } from "../db/client";
import { ensureQueue } from "../queue/boss";
import { env } from "../config/env";
import { logger } from "../ops/logger";
import { attemptDelivery } from "./delivery";
import { DELIVER_QUEUE, DISPATCH_QUEUE, PRUNE_QUEUE, dispatchWebhooks, pruneAllEvents } from "./dispatch";

/** Concurrent delivery attempts per app server (each a pg-boss worker taking one job at a time). */
const DELIVERY_WORKERS = 4;

async function deliver([job]: PgBoss.JobWithMetadata<{ delivery_id: string }>[]) {
  const db = await getDb();
  const lastTry = job.retryCount >= job.retryLimit;
  const out = await attemptDelivery(db, BigInt(job.data.delivery_id), { lastTry });
  // Throwing hands the job back to pg-boss, which retries it after its backoff delay.
  if (out.kind === "retry") throw new Error(out.error ?? "delivery failed");
  if (out.kind === "busy") throw new Error("another sender holds this delivery; trying again later");
  if (out.kind === "failed")
    logger().warn({ delivery_id: job.data.delivery_id, error: out.error }, "webhook delivery failed for good");
}

/**
 * Starts this app server's webhook workers: the dispatcher and the senders. The dispatcher is
 * a pg-boss job that queues its own next round; the queue's `stately` policy keeps at most one
 * round waiting and one running across every instance, and a per-minute schedule restarts the
 * chain should a round ever be lost. Old events are pruned by a scheduled job every ten minutes
 * (pg-boss runs each scheduled round once across instances). Returns a function that stops
 * this process's workers.
 */
export async function startWebhookWorkers(): Promise<() => Promise<void>> {
  const boss = await ensureQueue(DISPATCH_QUEUE, { policy: "stately", retryLimit: 0, expireInSeconds: 300 });
  await ensureQueue(DELIVER_QUEUE);
  const interval = env("WEBHOOK_DISPATCH_INTERVAL_SECONDS");

  await boss.work(DISPATCH_QUEUE, { pollingIntervalSeconds: Math.max(0.5, Math.min(interval, 2)) }, async () => {
    try {
      const done = await dispatchWebhooks(await getDb());
      if (done.events || done.queued) logger().info(done, "webhook events dispatched");
    } finally {
      await boss.send(DISPATCH_QUEUE, {}, { startAfter: interval });
    }
  });
  for (let i = 0; i < DELIVERY_WORKERS; i++)
    await boss.work(DELIVER_QUEUE, { pollingIntervalSeconds: 1, batchSize: 1, includeMetadata: true }, deliver);

  await boss.send(DISPATCH_QUEUE, {});
  await boss.schedule(DISPATCH_QUEUE, "* * * * *");

  await ensureQueue(PRUNE_QUEUE, { policy: "singleton", retryLimit: 0, expireInSeconds: 600 });
  await boss.work(PRUNE_QUEUE, async () => {
    const pruned = await pruneAllEvents(await getDb());
    if (pruned) logger().info({ pruned }, "outbox events past retention pruned");
  });
  await boss.schedule(PRUNE_QUEUE, "*/10 * * * *");
  return async () => {
    await boss.offWork(DISPATCH_QUEUE);
    await boss.offWork(DELIVER_QUEUE);
    await boss.offWork(PRUNE_QUEUE);
  };
}
