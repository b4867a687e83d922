import os from "node:os";
import type { Db } from "../db/client";
import { processSingleton } from "./global";

/** This process among the app instances: host and pid, as its claims and logs name it. */
export function instanceId(): string {
  return processSingleton("instance-id", () => `${os.hostname()}:${process.pid}`);
}

/**
 * Claims the current round of the periodic task `name` for this instance. True for exactly
 * one caller among all instances sharing the database until `leaseMs` has passed since the
 * previous claim: the upsert's condition is evaluated on the row's latest version under its
 * row lock, so two instances ticking at the same moment cannot both win. The database's
 * clock decides, so the instances' clocks need not agree.
 */
export async function claimRound(db: Db, name: string, leaseMs: number, by = instanceId()): Promise<boolean> {
  const rows = await db.$queryRaw<{ name: string }[]>`
    INSERT INTO periodic_claims (name, claimed_at, claimed_by) VALUES (${name}, now(), ${by})
    ON CONFLICT (name) DO UPDATE SET claimed_at = now(), claimed_by = EXCLUDED.claimed_by
      WHERE periodic_claims.claimed_at <= now() - make_interval(secs => ${leaseMs / 1000}::float8)
    RETURNING name`;
  return rows.length === 1;
}
