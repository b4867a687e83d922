import { withJobToken } from "@/lib/agent/with-agent-api";
import { parseJson, parseWith } from "@/lib/api/parse";
import { heartbeatSchema, taskIdParamSchema } from "@/lib/agent/schemas";
import { agentWrite, throwIfError } from "@/lib/agent/ingest";

export const POST = withJobToken<{ task_id: string }>(async ({ req, params, db, claim }) => {
  const { task_id } = parseWith(taskIdParamSchema, params);
  const heartbeat = await parseJson(heartbeatSchema, req);
  const { status: _status, ...answer } = throwIfError((await agentWrite(db, claim, task_id, { heartbeat })).heartbeat);
  return answer;
});
