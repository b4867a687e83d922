import { withJobToken } from "@/lib/agent/with-agent-api";
import { json } from "@/lib/api/respond";
import { parseJson, parseWith } from "@/lib/api/parse";
import { taskIdParamSchema, uploadResultSchema } from "@/lib/agent/schemas";
import { agentWrite, throwIfError } from "@/lib/agent/ingest";

// One benchmark result; a retried upload (same idempotency key) answers 200 with the stored row.
export const POST = withJobToken<{ task_id: string }>(async ({ req, params, db, claim }) => {
  const { task_id } = parseWith(taskIdParamSchema, params);
  const input = await parseJson(uploadResultSchema, req);
  const key = req.headers.get("idempotency-key");
  const { results } = await agentWrite(db, claim, task_id, { results: [{ input, key }] });
  const { status, ...receipt } = throwIfError(results?.[0]);
  return json(receipt, { status });
});
