import cronParser from "cron-parser";
import { env } from "../config/env";

/**
 * Schedules' cron expressions (UTC): five fields (minute hour day month weekday), or six with
 * a leading seconds field. cron-parser is the parser pg-boss itself uses.
 */
export type CronCheck = { ok: true } | { ok: false; message: string };

const SAMPLES = 24;

export function checkCron(expression: string, from = new Date()): CronCheck {
  const fields = expression.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6)
    return { ok: false, message: "cron must have 5 fields (minute hour day month weekday) or 6 (seconds first)" };
  let it;
  try {
    it = cronParser.parseExpression(expression, { tz: "UTC", currentDate: from });
  } catch (err) {
    return { ok: false, message: `cron is not valid: ${(err as Error).message}` };
  }
  // The shortest gap between consecutive fire times over the next few: a cron that would
  // flood the fleet with jobs is refused.
  // The browser does not know the server's setting (the form shares this schema): there it
  // checks the syntax only, and the server answers a too-frequent cron with a 400 the form shows.
  const minSeconds = typeof window === "undefined" ? env("SCHEDULE_MIN_INTERVAL_SECONDS") : 0;
  let prev: number | null = null;
  for (let i = 0; i < SAMPLES && it.hasNext(); i++) {
    const t = it.next().getTime();
    if (prev !== null && (t - prev) / 1000 < minSeconds)
      return { ok: false, message: `cron fires more often than every ${minSeconds} s (SCHEDULE_MIN_INTERVAL_SECONDS)` };
    prev = t;
  }
  if (prev === null) return { ok: false, message: "cron never fires" };
  return { ok: true };
}

/** The latest fire time at or before `now` (the tick that is due), or null if none. */
export function latestTick(expression: string, now: Date): Date | null {
  try {
    // currentDate is exclusive for prev(); a tick exactly at `now` counts as due.
    const it = cronParser.parseExpression(expression, { tz: "UTC", currentDate: new Date(now.getTime() + 1) });
    return it.hasPrev() ? it.prev().toDate() : null;
  } catch {
    return null;
  }
}

export function nextTick(expression: string, after: Date): Date | null {
  try {
    const it = cronParser.parseExpression(expression, { tz: "UTC", currentDate: after });
    return it.hasNext() ? it.next().toDate() : null;
  } catch {
    return null;
  }
}
