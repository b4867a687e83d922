import { withAgentApi } from "@/lib/agent/with-agent-api";
import { parseJson, parseWith } from "@/lib/api/parse";
import { finishTaskSchema, taskIdParamSchema } from "@/lib/agent/schemas";
import { finishTask } from "@/lib/agent/service";

export const POST = withAgentApi<{ task_id: string }>(async ({ req, params, db, job }) => {
  const { task_id } = parseWith(taskIdParamSchema, params);
  const { state, failed_message } = await parseJson(finishTaskSchema, req);
  return finishTask(db, job, task_id, state, failed_message ?? null);
});
