import { z } from "../validation/zod";
import { jobIdParamSchema } from "../jobs/schemas";
import { taskIdParamSchema } from "../agent/schemas";

/** Path of a node's report: /jobs/{job_id}/tasks/{task_id}/report.pdf */
export const jobTaskParamSchema = jobIdParamSchema.extend(taskIdParamSchema.shape);

/** GET /jobs/{job_id}/results.tar.gz: `task_id` narrows the archive to one node (docs/api-contract.md). */
export const resultsArchiveQuerySchema = z.object({
  task_id: taskIdParamSchema.shape.task_id.optional(),
});
