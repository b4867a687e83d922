import fs from "node:fs";
import path from "node:path";
import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { jobCountersVisibilitySql } from "../auth/visibility";
import { clock } from "../util/clock";
import { env } from "../config/env";

/** Version of the HTTP API (the path segment under /api/silicon-mark). */
export const API_VERSION = "v1";

let appVersion: string | undefined;
export function readAppVersion(): string {
  appVersion ??= (
    JSON.parse(fs.readFileSync(path.resolve(process.cwd(), "package.json"), "utf8")) as { version: string }
  ).version;
  return appVersion;
}

/** The schema version is the latest migration applied to this database. */
async function schemaVersion(db: Db): Promise<string | null> {
  const rows = await db.$queryRaw<
    { name: string }[]
  >`SELECT "name" FROM "_benchboard_migrations" ORDER BY "name" DESC LIMIT 1`;
  return rows[0]?.name ?? null;
}

/**
 * What a caller's jobs consumed: node-seconds (every node from joining to its end, or to now
 * while it runs) and the bytes of results and logs its nodes uploaded (results as stored,
 * once per result). Scoped like every job query: a user counts their jobs, a customer admin
 * their customer's, staff everything. Everything comes from the trigger-kept usage_counts
 * (migrations 20261130030000_usage_counters, 20261130090000_task_counters: exact, and a few
 * rows per user instead of every task and result): ended nodes as node-seconds, running ones
 * as their count and the sum of their starts, timed here to now as n·now − Σ started_at.
 */
export async function callerUsage(db: Db, caller: Caller) {
  const scope = jobCountersVisibilitySql(caller, "c");
  const [row] = await db.$queryRaw<
    { node_seconds: number | null; bytes: bigint | null; running_seconds: number | null }[]
  >`
    SELECT SUM(c.node_seconds)::float8 AS node_seconds, SUM(c.bytes)::bigint AS bytes,
           ((SUM(c.running_nodes) * round(EXTRACT(EPOCH FROM ${clock.now()}::timestamptz) * 1000)
             - SUM(c.running_started_ms)) / 1000)::float8 AS running_seconds
      FROM usage_counts c WHERE ${scope}`;
  const nodeSeconds = Math.max(0, Math.round((row?.node_seconds ?? 0) + (row?.running_seconds ?? 0)));
  const bytes = Number(row?.bytes ?? 0);
  return {
    node_seconds: nodeSeconds,
    bytes_uploaded: bytes,
    // The server check's names (compute_time, bandwidth_kb).
    compute_time: nodeSeconds,
    bandwidth_kb: Math.floor(bytes / 1024),
  };
}

/** The server check: versions for anyone, plus the caller's usage when signed in. */
export async function serverInfo(db: Db, caller: Caller | null) {
  const info = {
    status: "ok",
    terms: env("BENCHBOARD_TERMS"),
    versions: { app: readAppVersion(), schema: await schemaVersion(db), api: API_VERSION },
  };
  return caller ? { ...info, user_info: await callerUsage(db, caller) } : info;
}
