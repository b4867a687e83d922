import { jobIdParamSchema } from "../jobs/schemas";
import { taskIdParamSchema } from "../agent/schemas";

/** Path of a node's report: /jobs/{job_id}/tasks/{task_id}/report.pdf */
export const jobTaskParamSchema = jobIdParamSchema.extend(taskIdParamSchema.shape);
