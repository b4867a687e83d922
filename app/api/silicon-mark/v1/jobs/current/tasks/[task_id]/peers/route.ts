import { withAgentApi } from "@/lib/agent/with-agent-api";
import { parseQuery, parseWith } from "@/lib/api/parse";
import { peersQuerySchema, taskIdParamSchema } from "@/lib/agent/schemas";
import { listPeers } from "@/lib/agent/peers";

// GET /jobs/current/tasks/{task_id}/peers – the other nodes' agent addresses, and whether all reached a step (extension)
export const GET = withAgentApi<{ task_id: string }>(async ({ url, params, db, job }) => {
  const { task_id } = parseWith(taskIdParamSchema, params);
  const { benchmark_id } = parseQuery(peersQuerySchema, url);
  return listPeers(db, job, task_id, benchmark_id);
});
