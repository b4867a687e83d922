// Timing primitives: HTTP round trips (status checked, body read) and the raw-SQL floor —
// the exact statements the same service call issued, captured from the query log of a Prisma
// client (which runs the hand-written statements of directQuery as $queryRaw), and replayed
// through `pg` with the same concurrency (statements the service ran in parallel, like the
// list's count and page, are replayed in parallel).
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../lib/generated/prisma/client";

export interface Percentiles {
  p50: number;
  p95: number;
}

/** Nearest-rank percentiles of millisecond samples. */
export function percentiles(samples: number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  return { p50: at(50), p95: at(95) };
}

/** Cases far over budget get fewer samples: their verdict is clear and the run stays short. */
export const SLOW_CASE_MS = 250;
export const SLOW_CASE_SAMPLES = 12;

async function sample(n: number, warmup: number, once: () => Promise<void>): Promise<number[]> {
  const w = performance.now();
  for (let i = 0; i < warmup; i++) await once();
  if (warmup && (performance.now() - w) / warmup > SLOW_CASE_MS) n = Math.min(n, SLOW_CASE_SAMPLES);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await once();
    out.push(performance.now() - t);
  }
  return out;
}

export async function timeHttp(
  url: string,
  token: string | null,
  n: number,
  warmup: number,
): Promise<{ ms: number[]; bytes: number }> {
  let bytes = 0;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const ms = await sample(n, warmup, async () => {
    const res = await fetch(url, { headers });
    const body = await res.arrayBuffer();
    if (res.status !== 200)
      throw new Error(`GET ${url} → ${res.status}: ${Buffer.from(body).toString().slice(0, 300)}`);
    bytes = body.byteLength;
  });
  return { ms, bytes };
}

export interface CapturedQuery {
  sql: string;
  params: unknown[];
  startedAt: number;
  durationMs: number;
}

/** A Prisma client on the bench database that records every statement it sends. */
export function capturingPrisma(url: string) {
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: 4 }),
    log: [{ emit: "event", level: "query" }],
  });
  let sink: CapturedQuery[] | null = null;
  prisma.$on("query", (e) => {
    sink?.push({
      sql: e.query,
      params: JSON.parse(e.params),
      startedAt: e.timestamp.getTime(),
      durationMs: e.duration,
    });
  });
  return {
    prisma,
    async capture(run: (db: PrismaClient) => Promise<unknown>): Promise<CapturedQuery[]> {
      const queries: CapturedQuery[] = [];
      sink = queries;
      try {
        await run(prisma);
      } finally {
        sink = null;
      }
      return queries;
    },
  };
}

/**
 * Statements that started before an earlier one of the same call had finished ran in
 * parallel (Promise.all in the service); consecutive groups ran one after the other.
 */
export function concurrencyGroups(queries: CapturedQuery[]): CapturedQuery[][] {
  const sorted = [...queries].sort((a, b) => a.startedAt - b.startedAt);
  const groups: CapturedQuery[][] = [];
  let groupEnd = -Infinity;
  for (const q of sorted) {
    if (groups.length && q.startedAt < groupEnd) groups[groups.length - 1].push(q);
    else groups.push([q]);
    groupEnd = Math.max(groupEnd, q.startedAt + q.durationMs);
  }
  return groups;
}

export async function timeSql(pool: pg.Pool, groups: CapturedQuery[][], n: number, warmup: number): Promise<number[]> {
  const clients = await Promise.all(
    Array.from({ length: Math.max(...groups.map((g) => g.length)) }, () => pool.connect()),
  );
  try {
    return await sample(n, warmup, async () => {
      for (const g of groups) await Promise.all(g.map((q, i) => clients[i].query(q.sql, q.params as unknown[])));
    });
  } finally {
    clients.forEach((c) => c.release());
  }
}
