// Timing primitives: HTTP round trips (status checked, body read) and the raw-SQL floor —
// the exact statements the same service call issued, captured from the query log of a Prisma
// client (which runs the hand-written statements of directQuery as $queryRaw), and replayed
// through `pg` with the same concurrency (statements the service ran in parallel, like the
// list's count and page, are replayed in parallel).
import http from "node:http";
import zlib from "node:zlib";
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

/** Runs the warm-up; how many samples to take after it (fewer when it was slow). */
async function warmUp(n: number, warmup: number, once: () => Promise<unknown>): Promise<number> {
  const w = performance.now();
  for (let i = 0; i < warmup; i++) await once();
  return warmup && (performance.now() - w) / warmup > SLOW_CASE_MS ? Math.min(n, SLOW_CASE_SAMPLES) : n;
}

async function sample(n: number, warmup: number, once: () => Promise<void>): Promise<number[]> {
  n = await warmUp(n, warmup, once);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await once();
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * What the dashboard's browser sends (Chromium 156, over plain HTTP too), so the answers are
 * compressed as the dashboard gets them; Node's fetch alone would ask for gzip and deflate only.
 */
export const BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd";

/** The codings the server answers with (lib/http/compress.ts), decoded as a browser does: whole. */
const DECODERS: Record<string, (body: Buffer) => Buffer> = {
  br: (b) => zlib.brotliDecompressSync(b),
  gzip: (b) => zlib.gunzipSync(b),
  deflate: (b) => zlib.inflateSync(b),
};

// One kept-alive connection per sequence of requests, as fetch's pool kept them.
const keepAlive = new http.Agent({ keepAlive: true });

/**
 * One GET as a browser asks it: status checked, body read and decoded; its size in bytes.
 *
 * Through node:http, the body decoded in one call once it has arrived, not through fetch:
 * undici decodes a compressed body as a stream on libuv's thread pool, a hand-off each way
 * per chunk that the load generator paid and a browser (which decodes in its network
 * service) does not. On one VM, minutes apart, the same 20-job page with the same Brotli
 * bytes took 4.26 ms p50 through fetch and 3.30 ms decoded here (3.22 ms uncompressed); the
 * 300-job page 12.5 and 10.6 ms. The decoding's own CPU is still timed
 * (docs/performance-budget.md, "Read path").
 */
function getOnce(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent: keepAlive, headers: { "accept-encoding": BROWSER_ACCEPT_ENCODING, ...headers } },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (chunk: Buffer) => parts.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          try {
            const coding = res.headers["content-encoding"];
            const decode = coding ? DECODERS[coding] : (b: Buffer) => b;
            if (!decode) throw new Error(`GET ${url} → content-encoding ${coding}, which the benchmark cannot decode`);
            const body = decode(Buffer.concat(parts));
            if (res.statusCode !== 200)
              throw new Error(`GET ${url} → ${res.statusCode}: ${body.toString().slice(0, 300)}`);
            resolve(body.byteLength);
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on("error", reject);
  });
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
    bytes = await getOnce(url, headers);
  });
  return { ms, bytes };
}

export interface CaseSamples {
  http: number[];
  sql: number[];
  floor: number[];
  bytes: number;
}

/** Samples a block of timeCase keeps; each block also runs one untimed request first. */
export const CASE_BLOCK = 5;

/**
 * A case's three measurements — its request over HTTP, its captured statements through pg
 * (with the parallelism they had), and the framework floor's request — taken in alternating
 * blocks: a few of one back to back, then a few of the next, round after round. The overhead
 * is a difference of these, and on a shared machine the speed of the moment moves all three
 * together (the same request's p50 moved by 2 ms between runs minutes apart): taken as one
 * block each, one after the other, that drift lands in the difference; spread over the same
 * minutes, it cancels. Within a block each measurement runs back to back after an untimed
 * lead-in, as it did when it had the whole run to itself, so none is timed colder than before.
 * The order of the blocks rotates every round.
 */
export async function timeCase(
  o: { url: string; token: string; floorUrl: string; pool: pg.Pool; groups: CapturedQuery[][] },
  n: number,
  warmup: number,
): Promise<CaseSamples> {
  const headers = { authorization: `Bearer ${o.token}` };
  const out: CaseSamples = { http: [], sql: [], floor: [], bytes: 0 };
  const clients = await sqlClients(o.pool, o.groups);
  try {
    const steps: [number[], () => Promise<unknown>][] = [
      [out.http, async () => (out.bytes = await getOnce(o.url, headers))],
      [out.sql, () => replay(clients, o.groups)],
      [out.floor, () => getOnce(o.floorUrl, {})],
    ];
    n = await warmUp(n, warmup, async () => {
      for (const [, run] of steps) await run();
    });
    for (let round = 0; round * CASE_BLOCK < n; round++) {
      for (let k = 0; k < steps.length; k++) {
        const [into, run] = steps[(round + k) % steps.length];
        await run();
        for (let i = 0; i < CASE_BLOCK; i++) {
          const t = performance.now();
          await run();
          into.push(performance.now() - t);
        }
      }
    }
    return out;
  } finally {
    clients.forEach((c) => c.release());
  }
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

/** One client per statement that runs in parallel, held for the whole measurement. */
function sqlClients(pool: pg.Pool, groups: CapturedQuery[][]): Promise<pg.PoolClient[]> {
  return Promise.all(Array.from({ length: Math.max(1, ...groups.map((g) => g.length)) }, () => pool.connect()));
}

async function replay(clients: pg.PoolClient[], groups: CapturedQuery[][]): Promise<void> {
  for (const g of groups) await Promise.all(g.map((q, i) => clients[i].query(q.sql, q.params as unknown[])));
}
