import { getDb } from "../db/client";
import { CONFIRM_QUEUE, ensureConfirmQueue, queueConfirmationJob } from "./confirmations";

/**
 * Starts this instance's confirmation worker (instrumentation.ts; tests start it themselves).
 * pg-boss claims each request once across instances and retries a failed one with backoff.
 */
export async function startHealthWorkers(options: { pollingIntervalSeconds?: number } = {}): Promise<void> {
  const boss = await ensureConfirmQueue();
  await boss.work<{ task_id: string }>(
    CONFIRM_QUEUE,
    { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
    async (jobs) => {
      const db = await getDb();
      for (const job of jobs) await queueConfirmationJob(db, BigInt(job.data.task_id));
    },
  );
}
