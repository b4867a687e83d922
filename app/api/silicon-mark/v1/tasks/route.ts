import { withApi } from "@/lib/api/with-api";
import { parseQuery } from "@/lib/api/parse";
import { listTasksQuerySchema } from "@/lib/tasks/schemas";
import { listTasks } from "@/lib/tasks/queries";
import { publicOrigin } from "@/lib/reports/urls";

// GET /tasks – visible tasks (nodes' parts of jobs) with filters and pagination
export const GET = withApi(async ({ url, db, caller }) =>
  listTasks(db, caller, parseQuery(listTasksQuerySchema, url), publicOrigin(url)),
);
