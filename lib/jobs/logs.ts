import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { assertJobVisible } from "./queries";
import { queryBool, queryInt } from "./schemas";
import { isLive } from "./states";
import { z } from "../validation/zod";
import { bigintIdString } from "../api/ids";
import { LogCursor } from "./log-cursor";

/** Logs parameters. */
export const logsQuerySchema = z.object({
  tail: queryInt(0, 10_000, "tail").default(100),
  timestamps: queryBool("timestamps").default(true),
  follow: queryBool("follow").default(false),
  task_id: bigintIdString("task_id").optional(),
});
export type LogsQuery = z.output<typeof logsQuerySchema>;

interface LogRow {
  id: bigint;
  ts: Date;
  line: string;
  taskId: bigint | null;
}

function formatter(timestamps: boolean, nodeLabels: Map<bigint, string>) {
  return (r: LogRow) => {
    const node = r.taskId !== null && nodeLabels.size > 1 ? `[${nodeLabels.get(r.taskId) ?? r.taskId}] ` : "";
    return `${timestamps ? r.ts.toISOString() + " " : ""}${node}${r.line}`;
  };
}

async function nodeLabels(db: Db, jobId: bigint) {
  const tasks = await db.task.findMany({ where: { jobId }, select: { id: true, machineUuid: true } });
  return new Map(tasks.map((t) => [t.id, t.machineUuid]));
}

/** The last `tail` lines, oldest first, as text/plain. */
export async function readLogs(
  db: Db,
  caller: Caller,
  jobId: bigint,
  q: LogsQuery,
): Promise<{ text: string; lastId: bigint; ids: bigint[] }> {
  await assertJobVisible(db, caller, jobId);
  const rows =
    q.tail === 0
      ? []
      : await db.jobLog.findMany({
          where: { jobId, ...(q.task_id ? { taskId: q.task_id } : {}) },
          orderBy: { id: "desc" },
          take: q.tail,
        });
  rows.reverse();
  const fmt = formatter(q.timestamps, await nodeLabels(db, jobId));
  const lastRow = await db.jobLog.findFirst({ where: { jobId }, orderBy: { id: "desc" }, select: { id: true } });
  return { text: rows.map((r) => fmt(r) + "\n").join(""), lastId: lastRow?.id ?? 0n, ids: rows.map((r) => r.id) };
}

/** How far back a follower looks for lines that committed after higher-numbered ones (lib/jobs/log-cursor.ts). */
const SETTLE_MS = 10_000;

/**
 * A follower hears at least this often, a comment line when there is nothing to say, so that
 * proxies and load balancers that close idle connections (often after 60 s) keep the stream.
 */
export const FOLLOW_KEEPALIVE_MS = 15_000;

/** What a quiet follow sends every keepAliveMs; the same bytes each time, never written to. */
const KEEPALIVE_COMMENT = new TextEncoder().encode(": keepalive\n\n");

/**
 * follow=true: server-sent events. Sends the tail, then polls the database for new lines
 * (so it works across app instances) until the job ends or the client goes away. Each line
 * is sent once, including lines that commit after later-numbered ones.
 *
 * The stream opens with a comment: the server sends the response's headers with its first
 * bytes, so a quiet job's follower (no tail, no new line) would otherwise wait without an
 * answer until a line came — a browser's EventSource never reported it open, and Node's
 * fetch gave up after five minutes (found through compose.yaml's nginx, deploy/compose-smoke.ts).
 */
export async function followLogs(
  db: Db,
  caller: Caller,
  jobId: bigint,
  q: LogsQuery,
  signal: AbortSignal,
  pollMs = 1000,
  keepAliveMs = FOLLOW_KEEPALIVE_MS,
): Promise<ReadableStream<Uint8Array>> {
  const initial = await readLogs(db, caller, jobId, q);
  const labels = await nodeLabels(db, jobId);
  const fmt = formatter(q.timestamps, labels);
  const enc = new TextEncoder();
  const cursor = new LogCursor(initial.lastId, initial.ids, SETTLE_MS);
  const event = (data: string, name?: string) =>
    enc.encode(
      `${name ? `event: ${name}\n` : ""}${data
        .split("\n")
        .map((l) => `data: ${l}`)
        .join("\n")}\n\n`,
    );
  let sentAt = Date.now();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (bytes: Uint8Array) => {
        controller.enqueue(bytes);
        sentAt = Date.now();
      };
      send(enc.encode(`: following job ${jobId}\n\n`));
      for (const line of initial.text.split("\n").filter(Boolean)) send(event(line));
      try {
        while (!signal.aborted) {
          // Pages of 1,000 from the settled id up; lines already sent are read again, not resent.
          let after = cursor.from();
          for (;;) {
            const rows = await db.jobLog.findMany({
              where: { jobId, id: { gt: after }, ...(q.task_id ? { taskId: q.task_id } : {}) },
              orderBy: { id: "asc" },
              take: 1000,
            });
            for (const r of rows) {
              after = r.id;
              if (!cursor.take(r.id)) continue;
              if (!labels.has(r.taskId ?? -1n) && r.taskId !== null) {
                for (const [k, v] of await nodeLabels(db, jobId)) labels.set(k, v);
              }
              send(event(fmt(r)));
            }
            if (rows.length < 1000 || signal.aborted) break;
          }
          cursor.polled(after);
          const job = await db.job.findUnique({ where: { id: jobId }, select: { state: true } });
          if (!job || !isLive(job.state)) {
            send(event(job?.state ?? "deleted", "end"));
            break;
          }
          if (Date.now() - sentAt >= keepAliveMs) send(KEEPALIVE_COMMENT);
          await new Promise((r) => setTimeout(r, pollMs));
        }
      } finally {
        try {
          controller.close();
        } catch {
          /* client already gone */
        }
      }
    },
  });
}
