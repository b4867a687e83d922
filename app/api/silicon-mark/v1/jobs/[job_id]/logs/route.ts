import { withApi } from "@/lib/api/with-api";
import { parseQuery, parseWith } from "@/lib/api/parse";
import { jobIdParamSchema } from "@/lib/jobs/schemas";
import { followLogs, logsQuerySchema, readLogs } from "@/lib/jobs/logs";

// Text/plain tail, or text/event-stream with follow=true.
export const GET = withApi<{ job_id: string }>(async ({ req, params, url, db, caller }) => {
  const { job_id } = parseWith(jobIdParamSchema, params);
  const q = parseQuery(logsQuerySchema, url);
  if (q.follow) {
    const stream = await followLogs(db, caller, job_id, q, req.signal);
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
      },
    });
  }
  const { text } = await readLogs(db, caller, job_id, q);
  return new Response(text, { headers: { "content-type": "text/plain; charset=utf-8" } });
});
