import type { Db } from "../db/client";
import { env } from "../config/env";
import { processSingleton } from "../ops/global";
import { clock } from "../util/clock";
import type { Caller } from "./caller";
import { findActiveCaller } from "./users";

/**
 * Signed-in callers, by user id, for CALLER_CACHE_TTL_MS. Reading the account on every request
 * was the largest fixed cost of a fast read (a round trip and a Prisma call; docs/performance-
 * budget.md). The bound is explicit: a deactivation or role change made through the API evicts
 * the account here at once (forgetCaller); one made on another instance or directly in the
 * database is seen at most CALLER_CACHE_TTL_MS later. Refusals are cached too, so a
 * deactivated account's still-valid token cannot make every request read the database.
 */
const MAX_ENTRIES = 10_000;

interface Entry {
  caller: Caller | null;
  until: number;
}

const entries = () => processSingleton("caller-cache", () => new Map<number, Entry>());

/** The active caller behind a verified user id (null: unknown or deactivated), at most CALLER_CACHE_TTL_MS old. */
export async function activeCaller(db: Db, userId: number): Promise<Caller | null> {
  const ttl = env("CALLER_CACHE_TTL_MS");
  if (ttl === 0) return findActiveCaller(db, userId);
  const map = entries();
  const now = clock.now().getTime();
  const hit = map.get(userId);
  if (hit && hit.until > now && hit.until - ttl <= now) return hit.caller;
  const caller = await findActiveCaller(db, userId);
  map.delete(userId);
  // Oldest entry first out (insertion order): the map stays bounded by the active users of a TTL.
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  map.set(userId, { caller, until: clock.now().getTime() + ttl });
  return caller;
}

/** Drops a user's cached caller: their account just changed on this instance. */
export function forgetCaller(userId: number): void {
  entries().delete(userId);
}
