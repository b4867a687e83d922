import { Counter } from "prom-client";
import { getDb, type Db } from "../db/client";
import { sweepJobs, type SweepReport } from "./lifecycle";
import { env } from "../config/env";
import { processSingleton } from "../ops/global";
import { logger } from "../ops/logger";
import { claimRound, instanceId } from "../ops/periodic-claim";
import { requestMetrics } from "../ops/request-metrics";

export const SWEEP_CLAIM = "lifecycle_sweep";

export function sweepIntervalMs(): number {
  return env("SWEEP_INTERVAL_SECONDS") * 1000;
}

/**
 * A round's claim lasts a little less than the interval, so the instance that swept last
 * normally wins the next round too, and another takes over within about two intervals when
 * it stops. (A round longer than the lease may overlap the next one; that is still safe, as
 * every transition of lib/jobs/lifecycle.ts is conditional — the claim saves the work, the
 * conditions keep the data right.)
 */
export function sweepLeaseMs(intervalMs = sweepIntervalMs()): number {
  return intervalMs * 0.8;
}

const sweeperMetrics = () =>
  processSingleton("sweeper-metrics", () => {
    const registers = [requestMetrics().registry];
    return {
      rounds: new Counter({
        name: "benchboard_sweeper_rounds_total",
        help: "Sweeper ticks of this instance: swept (it claimed the round) or skipped (another instance had it)",
        labelNames: ["outcome"] as const,
        registers,
      }),
      ended: new Counter({
        name: "benchboard_sweeper_jobs_ended_total",
        help: "Jobs this instance's sweeper ended, by reason",
        labelNames: ["reason"] as const,
        registers,
      }),
    };
  });

const REASONS = {
  finished: "finished",
  expired: "expired",
  joinTimedOut: "join_timeout",
  runTimedOut: "run_timeout",
  lostNodes: "lost_nodes",
} as const satisfies Record<keyof SweepReport, string>;

/**
 * One sweeper tick: when this instance claims the round (lib/ops/periodic-claim.ts), it
 * sweeps and logs what it ended, naming each job; otherwise another instance sweeps this
 * round and it returns null.
 */
export async function sweepRound(db: Db, intervalMs = sweepIntervalMs()): Promise<SweepReport | null> {
  const metrics = sweeperMetrics();
  if (!(await claimRound(db, SWEEP_CLAIM, sweepLeaseMs(intervalMs)))) {
    metrics.rounds.inc({ outcome: "skipped" });
    return null;
  }
  metrics.rounds.inc({ outcome: "swept" });
  const report = await sweepJobs(db);
  const ended: Record<string, string[]> = {};
  for (const [key, reason] of Object.entries(REASONS) as [keyof SweepReport, string][]) {
    if (!report[key].length) continue;
    metrics.ended.inc({ reason }, report[key].length);
    ended[reason] = report[key].map(String);
  }
  if (Object.keys(ended).length) logger().info({ instance: instanceId(), ended }, "sweeper ended jobs");
  return report;
}

/** Periodic sweep; a failed round is logged and the next one tries again. */
export function startSweeper(intervalMs = sweepIntervalMs()): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await sweepRound(await getDb(), intervalMs);
    } catch (err) {
      logger().error({ instance: instanceId(), err: String(err) }, "sweeper failed");
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
