import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { clock } from "../util/clock";
import { allJobPages, listExpansions } from "./list-rows";
import type { z } from "../validation/zod";
import type { exportFormatQuerySchema, ListJobsQuery } from "./schemas";
import { serializeJob, type JobListRow } from "./serialize";
import { csvRow } from "./csv";
import { env } from "../config/env";

export type ExportFormat = z.output<typeof exportFormatQuerySchema>["format"];

export const CSV_COLUMNS = [
  "id",
  "name",
  "state",
  "failed_message",
  "description",
  "node_count",
  "current_nodes",
  "benchmarks",
  "tags",
  "created_at",
  "started_at",
  "ended_at",
  "expires_at",
  "performance_status",
  "gpu_models",
] as const;

/** A list item as exported: the job token stays out of files that get shared. */
function exportItem(job: JobListRow, q: ListJobsQuery) {
  const { token: _token, ...item } = serializeJob(job, listExpansions(q));
  return item;
}

function csvLine(job: JobListRow, q: ListJobsQuery): string {
  const item = exportItem(job, q);
  const cells: Record<(typeof CSV_COLUMNS)[number], string | number | null> = {
    ...item,
    benchmarks: item.benchmarks.join(";"),
    tags: item.tags.join(";"),
    performance_status: job.performanceStatus,
    gpu_models: job.gpuModels.join(";"),
  };
  return csvRow(CSV_COLUMNS.map((c) => cells[c]));
}

async function* exportLines(
  db: Db,
  caller: Caller,
  q: ListJobsQuery,
  format: ExportFormat,
  pageSize: number,
): AsyncGenerator<string> {
  if (format === "csv") yield csvRow([...CSV_COLUMNS]);
  else yield "[";
  let first = true;
  for await (const page of allJobPages(db, caller, q, pageSize)) {
    if (format === "csv") {
      yield page.map((j) => csvLine(j, q)).join("");
    } else {
      yield page
        .map((j) => {
          const sep = first ? "\n" : ",\n";
          first = false;
          return sep + JSON.stringify(exportItem(j, q));
        })
        .join("");
    }
  }
  if (format === "json") yield "\n]\n";
}

/**
 * Pull-based: the next page is read only when the client has taken the previous one. The
 * header and the first page are read before the response starts, so a failing query is an
 * error answer rather than a 200 cut off mid-file.
 */
async function toStream(lines: AsyncGenerator<string>): Promise<ReadableStream<Uint8Array>> {
  const enc = new TextEncoder();
  const ahead: IteratorResult<string>[] = [];
  for (let i = 0; i < 2; i++) {
    const next = await lines.next();
    ahead.push(next);
    if (next.done) break;
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = ahead.shift() ?? (await lines.next());
      if (done) controller.close();
      else controller.enqueue(enc.encode(value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}

function exportPageSize(): number {
  return env("EXPORT_PAGE_SIZE");
}

/**
 * The filtered job list (same filters and sort as GET /jobs, every page) as CSV or a JSON
 * array of list items, streamed page by page.
 */
export async function exportJobs(
  db: Db,
  caller: Caller,
  q: ListJobsQuery,
  format: ExportFormat,
  pageSize = exportPageSize(),
) {
  const stamp = clock.now().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return {
    filename: `jobs-${stamp}.${format}`,
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
    stream: await toStream(exportLines(db, caller, q, format, pageSize)),
  };
}
