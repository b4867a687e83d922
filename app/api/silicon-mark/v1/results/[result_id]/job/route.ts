import { withApi } from "@/lib/api/with-api";
import { parseWith, rejectQuery } from "@/lib/api/parse";
import { resultIdParamSchema } from "@/lib/results/schemas";
import { getResultJob } from "@/lib/results/queries";
import { publicOrigin } from "@/lib/reports/urls";

export const GET = withApi<{ result_id: string }>(async ({ params, url, db, caller }) => {
  rejectQuery(url);
  return getResultJob(db, caller, parseWith(resultIdParamSchema, params).result_id, publicOrigin(url));
});
