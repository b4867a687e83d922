import { withJobToken } from "@/lib/agent/with-agent-api";
import { json } from "@/lib/api/respond";
import { parseJson, parseWith } from "@/lib/api/parse";
import { taskIdParamSchema, uploadResultSchema } from "@/lib/agent/schemas";
import { ingestResult } from "@/lib/agent/service";

// One benchmark result; a retried upload (same idempotency key) answers 200 with the stored row.
export const POST = withJobToken<{ task_id: string }>(async ({ req, params, db, claim }) => {
  const { task_id } = parseWith(taskIdParamSchema, params);
  const input = await parseJson(uploadResultSchema, req);
  const { created, result } = await ingestResult(db, claim, task_id, input, req.headers.get("idempotency-key"));
  return json(result, { status: created ? 201 : 200 });
});
