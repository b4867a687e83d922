import { withApi } from "@/lib/api/with-api";
import { parseWith } from "@/lib/api/parse";
import { jobIdParamSchema } from "@/lib/jobs/schemas";
import { cancelJob } from "@/lib/jobs/commands";

// Ends a created/starting/running job as aborted; 409 once it has ended.
export const POST = withApi<{ job_id: string }>(async ({ params, db, caller }) =>
  cancelJob(db, caller, parseWith(jobIdParamSchema, params).job_id),
);
