import { withJobToken } from "@/lib/agent/with-agent-api";
import { parseJson, parseWith } from "@/lib/api/parse";
import { batchUploadSchema, taskIdParamSchema } from "@/lib/agent/schemas";
import { agentWrite } from "@/lib/agent/ingest";

// Extension: results, log lines and a heartbeat of one node in one request; each part is
// answered as its single call would be (README, "Batch upload").
export const POST = withJobToken<{ task_id: string }>(async ({ req, params, db, claim }) => {
  const { task_id } = parseWith(taskIdParamSchema, params);
  const body = await parseJson(batchUploadSchema, req);
  return agentWrite(db, claim, task_id, {
    results: body.results?.map((input) => ({ input, key: null })),
    logs: body.logs,
    heartbeat: body.heartbeat,
    batchKey: req.headers.get("idempotency-key"),
  });
});
