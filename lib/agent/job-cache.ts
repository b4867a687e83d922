import type { Db } from "../db/client";
import type { Job } from "../generated/prisma/client";
import { env } from "../config/env";
import { processSingleton } from "../ops/global";
import { clock } from "../util/clock";

/**
 * A job's row as its agents' reads see it, kept AGENT_JOB_CACHE_MS per instance, and one read
 * shared by all the requests that ask while it is in flight. The nodes of a big job start
 * together: 200 `GET /jobs/current` and 200 registrations arrive within a few hundred
 * milliseconds, and each read the same row (docs/performance-budget.md, "Many nodes at once").
 *
 * Only reads that tolerate a row this old use it: GET /jobs/current (its state and node count
 * are at most AGENT_JOB_CACHE_MS behind) and registration, whose statement checks the job's
 * state, size and deletion again under the job's lock. A job deleted or cancelled through the
 * API is forgotten here at once on the instance that did it (forgetAgentJob).
 */
const MAX_ENTRIES = 10_000;

interface Entry {
  // The database client it was read from: ids are only unique within one database.
  db: Db;
  job: Promise<Job | null>;
  /** When the row stops being used; 0 while its read is in flight. */
  until: number;
}

const entries = () => processSingleton("agent-job-cache", () => new Map<string, Entry>());

export async function cachedAgentJob(db: Db, jobId: bigint): Promise<Job | null> {
  const ttl = env("AGENT_JOB_CACHE_MS");
  if (ttl === 0) return db.job.findUnique({ where: { id: jobId } });
  const map = entries();
  const key = jobId.toString();
  const now = clock.now().getTime();
  const hit = map.get(key);
  if (hit && hit.db === db && (hit.until === 0 || (hit.until > now && hit.until - ttl <= now))) return hit.job;
  const entry: Entry = { db, job: db.job.findUnique({ where: { id: jobId } }), until: 0 };
  map.delete(key);
  // Oldest entry first out (insertion order): the map stays bounded by the jobs of a TTL.
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  map.set(key, entry);
  try {
    await entry.job;
    entry.until = clock.now().getTime() + ttl;
  } catch (err) {
    // A failed read is not kept: the next request reads again.
    if (map.get(key) === entry) map.delete(key);
    throw err;
  }
  return entry.job;
}

/** Drops a job's cached row: it was just deleted or cancelled on this instance. */
export function forgetAgentJob(jobId: bigint): void {
  entries().delete(jobId.toString());
}
