import { withApi } from "@/lib/api/with-api";
import { parseQuery, parseWith } from "@/lib/api/parse";
import { taskIdPathSchema, taskResultsQuerySchema } from "@/lib/tasks/schemas";
import { getTaskResults } from "@/lib/tasks/queries";

// GET /tasks/{task_id}/results – a visible task's result summary
export const GET = withApi<{ task_id: string }>(async ({ params, url, db, caller }) => {
  const { task_id } = parseWith(taskIdPathSchema, params);
  const { include_display_name } = parseQuery(taskResultsQuerySchema, url);
  return getTaskResults(db, caller, task_id, include_display_name);
});
