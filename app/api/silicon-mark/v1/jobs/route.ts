import { withApi } from "@/lib/api/with-api";
import { json } from "@/lib/api/respond";
import { parseJson, parseQuery } from "@/lib/api/parse";
import {
  bulkDeleteJobsQuerySchema,
  createJobSchema,
  listJobsQuerySchema,
  LIST_QUERY_OPTIONS,
} from "@/lib/jobs/schemas";
import { bulkDeleteJobs } from "@/lib/jobs/bulk-delete";
import { createJob } from "@/lib/jobs/commands";
import { listJobs } from "@/lib/jobs/queries";

export const POST = withApi(async ({ req, db, caller }) => {
  const input = await parseJson(createJobSchema, req);
  return json(await createJob(db, caller, input), { status: 201 });
});

export const GET = withApi(async ({ url, db, caller }) =>
  listJobs(db, caller, parseQuery(listJobsQuerySchema, url, LIST_QUERY_OPTIONS)),
);

export const DELETE = withApi(async ({ url, db, caller }) =>
  bulkDeleteJobs(db, caller, parseQuery(bulkDeleteJobsQuerySchema, url)),
);
