import { withAgentApi } from "@/lib/agent/with-agent-api";
import { parseJson, parseWith } from "@/lib/api/parse";
import { heartbeatSchema, taskIdParamSchema } from "@/lib/agent/schemas";
import { heartbeat } from "@/lib/agent/service";

export const POST = withAgentApi<{ task_id: string }>(async ({ req, params, db, job }) => {
  const { task_id } = parseWith(taskIdParamSchema, params);
  const { progress } = await parseJson(heartbeatSchema, req);
  return heartbeat(db, job, task_id, progress);
});
