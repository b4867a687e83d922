import { getDb } from "../db/client";
import { sweepJobs } from "./lifecycle";
import { env } from "../config/env";

export function sweepIntervalMs(): number {
  return env("SWEEP_INTERVAL_SECONDS") * 1000;
}

/** Periodic sweep; a failed round is logged and the next one tries again. */
export function startSweeper(intervalMs = sweepIntervalMs()): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const r = await sweepJobs(await getDb());
      const ended =
        r.finished.length + r.expired.length + r.joinTimedOut.length + r.runTimedOut.length + r.lostNodes.length;
      if (ended)
        console.log(
          JSON.stringify({
            level: "info",
            msg: "sweeper ended jobs",
            finished: r.finished.length,
            expired: r.expired.length,
            join_timeout: r.joinTimedOut.length,
            run_timeout: r.runTimedOut.length,
            lost_nodes: r.lostNodes.length,
          }),
        );
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "sweeper failed", err: String(err) }));
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
