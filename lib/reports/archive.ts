import { createGzip } from "node:zlib";
import { Readable } from "node:stream";
import { pack as tarPack, type Pack } from "tar-stream";
import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import type { BenchmarkResult } from "../generated/prisma/client";
import { getJobDetail } from "../jobs/queries";
import { serializeResult } from "../jobs/serialize";
import { clock } from "../util/clock";
import { findReportNode, loadReportModel, type ReportModel, type ReportNode } from "./model";
import { renderJobReport, renderNodeReport } from "./pdf/reports";

const LOG_PAGE = 5000;

function addEntry(pack: Pack, name: string, content: string | Buffer, mtime: Date): Promise<void> {
  // The callback fires once the entry is consumed, so entries are produced as fast as the
  // client reads (backpressure), not all at once into memory.
  return new Promise((resolve, reject) =>
    pack.entry({ name, mtime, mode: 0o644 }, content, (err) => (err ? reject(err) : resolve())),
  );
}

const json = (v: unknown) => JSON.stringify(v, null, 2) + "\n";
const slug = (s: string) => s.replace(/[^\w.-]+/g, "_").slice(0, 48);

function resultFile(r: BenchmarkResult) {
  return { ...serializeResult(r, true), job_id: r.jobId.toString(), task_id: r.taskId?.toString() ?? null };
}

/** A node's log lines, oldest first, read in pages by id. */
async function nodeLogText(db: Db, jobId: bigint, taskId: bigint | null): Promise<string> {
  let text = "";
  let after = 0n;
  for (;;) {
    const rows = await db.jobLog.findMany({
      where: { jobId, taskId, id: { gt: after } },
      orderBy: { id: "asc" },
      take: LOG_PAGE,
    });
    for (const r of rows) text += `${r.ts.toISOString()} ${r.line}\n`;
    if (rows.length < LOG_PAGE) return text;
    after = rows[rows.length - 1].id;
  }
}

export const nodeFolder = (n: ReportNode) => `nodes/${n.task.id}_${slug(n.hostname ?? n.task.machineUuid)}`;

async function writeNode(db: Db, pack: Pack, root: string, model: ReportModel, n: ReportNode, mtime: Date) {
  const dir = `${root}/${nodeFolder(n)}`;
  const { task } = n;
  await addEntry(
    pack,
    `${dir}/task.json`,
    json({
      id: task.id.toString(),
      job_id: task.jobId.toString(),
      machine_uuid: task.machineUuid,
      machine_ip: task.machineIp,
      hostname: n.hostname,
      gpu_model: task.gpuModel,
      gpu_count: task.gpuCount,
      state: task.state,
      failed_message: task.failedMessage,
      created_at: task.createdAt.toISOString(),
      started_at: task.startedAt?.toISOString() ?? null,
      ended_at: task.endedAt?.toISOString() ?? null,
      inventory: task.inventory,
      performance: task.performance,
    }),
    mtime,
  );
  for (const r of n.results)
    await addEntry(pack, `${dir}/results/${slug(r.benchmarkId)}.json`, json(resultFile(r)), mtime);
  await addEntry(pack, `${dir}/logs.txt`, await nodeLogText(db, model.job.id, task.id), mtime);
  await addEntry(pack, `${dir}/report.pdf`, await renderNodeReport(model, task.id), mtime);
}

/**
 * Every result: every stored result of a job (job level and per node) as JSON, the
 * node logs and the PDF reports, as one .tar.gz streamed while it is produced. `taskId`
 * Narrows it to one node. Visibility is checked before the
 * first byte, so an unknown or foreign job is a plain 404.
 */
export async function resultsArchive(
  db: Db,
  caller: Caller,
  jobId: bigint,
  opts: { taskId?: bigint; origin?: string } = {},
) {
  const model = await loadReportModel(db, caller, jobId);
  const only = opts.taskId === undefined ? null : findReportNode(model, opts.taskId);
  const detail = await getJobDetail(db, caller, jobId, opts.origin);
  const root = `job-${jobId}`;
  const mtime = model.job.endedAt ?? clock.now();
  const pack = tarPack();

  const fill = async () => {
    if (!only) {
      // The job token lets agents act on the job: it stays out of files that get shared, and
      // so do the downloader's own permissions.
      const { token: _token, caller_permissions: _permissions, ...job } = detail;
      await addEntry(pack, `${root}/job.json`, json(job), mtime);
      for (const r of model.results)
        await addEntry(pack, `${root}/results/${slug(r.benchmarkId)}.json`, json(resultFile(r)), mtime);
      const jobLogs = await nodeLogText(db, jobId, null);
      if (jobLogs) await addEntry(pack, `${root}/logs.txt`, jobLogs, mtime);
      await addEntry(pack, `${root}/report.pdf`, await renderJobReport(model), mtime);
    }
    for (const n of only ? [only] : model.nodes) await writeNode(db, pack, root, model, n, mtime);
    pack.finalize();
  };
  fill().catch((err) => pack.destroy(err));

  const gzip = createGzip();
  pack.on("error", (err: Error) => gzip.destroy(err));
  // A client that goes away stops the production of further entries.
  gzip.on("close", () => pack.destroy());
  pack.pipe(gzip);
  const filename = only ? `${root}-task-${only.task.id}-results.tar.gz` : `${root}-results.tar.gz`;
  return { filename, stream: Readable.toWeb(gzip) as ReadableStream<Uint8Array> };
}
