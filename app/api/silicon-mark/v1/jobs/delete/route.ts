import { withApi } from "@/lib/api/with-api";
import { parseJson } from "@/lib/api/parse";
import { deleteJobSchema } from "@/lib/jobs/schemas";
import { deleteJob } from "@/lib/jobs/commands";

export const DELETE = withApi(async ({ req, db, caller }) => {
  const { id } = await parseJson(deleteJobSchema, req);
  return deleteJob(db, caller, id);
});
