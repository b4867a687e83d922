import { withAgentApi } from "@/lib/agent/with-agent-api";
import { json } from "@/lib/api/respond";
import { parseJson, parseWith } from "@/lib/api/parse";
import { appendLogsSchema, taskIdParamSchema } from "@/lib/agent/schemas";
import { appendLogs } from "@/lib/agent/service";

export const POST = withAgentApi<{ task_id: string }>(async ({ req, params, db, job }) => {
  const { task_id } = parseWith(taskIdParamSchema, params);
  const { lines } = await parseJson(appendLogsSchema, req);
  return json(await appendLogs(db, job, task_id, lines), { status: 202 });
});
