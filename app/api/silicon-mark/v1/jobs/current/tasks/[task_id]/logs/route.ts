import { withJobToken } from "@/lib/agent/with-agent-api";
import { json } from "@/lib/api/respond";
import { parseJson, parseWith } from "@/lib/api/parse";
import { appendLogsSchema, taskIdParamSchema } from "@/lib/agent/schemas";
import { agentWrite, throwIfError } from "@/lib/agent/ingest";

export const POST = withJobToken<{ task_id: string }>(async ({ req, params, db, claim }) => {
  const { task_id } = parseWith(taskIdParamSchema, params);
  const logs = await parseJson(appendLogsSchema, req);
  const { accepted } = throwIfError((await agentWrite(db, claim, task_id, { logs })).logs);
  return json({ accepted }, { status: 202 });
});
