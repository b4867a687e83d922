import { getDb, onDbClose } from "../db/client";
import { ensureQueue } from "../queue/boss";
import { env } from "../config/env";
import { logger } from "../ops/logger";
import { runDueSchedules } from "./tick";

/** The pg-boss queue whose jobs say "look for due schedule ticks now". */
export const SCHEDULE_TICK_QUEUE = "schedule-tick";

/**
 * Every instance asks for a tick every SCHEDULE_TICK_SECONDS; the queue's `short` policy keeps
 * at most one such request waiting, and pg-boss hands it to one instance (SKIP LOCKED). The
 * claim row of each schedule tick (schedule_runs) is what makes a tick run exactly once even
 * when two evaluations overlap. Returns a function that stops the timer.
 */
export async function startScheduleWorkers(): Promise<() => void> {
  const tickSeconds = env("SCHEDULE_TICK_SECONDS");
  const boss = await ensureQueue(SCHEDULE_TICK_QUEUE, {
    policy: "short",
    retryLimit: 0,
    expireInSeconds: Math.max(60, tickSeconds * 4),
  });
  await boss.work(SCHEDULE_TICK_QUEUE, { pollingIntervalSeconds: Math.max(0.5, tickSeconds / 2) }, async () => {
    const { created } = await runDueSchedules(await getDb());
    if (created.length) logger().info({ jobs: created.map(String) }, "schedules created jobs");
  });
  const request = () =>
    boss
      .send(SCHEDULE_TICK_QUEUE, {})
      .catch((err) => logger().error({ err: String(err) }, "schedule tick request failed"));
  void request();
  const timer = setInterval(request, tickSeconds * 1000);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    unhook();
  };
  // The queue stops with the database; so do the requests for ticks.
  const unhook = onDbClose(async () => stop());
  return stop;
}
