import { withApi } from "@/lib/api/with-api";
import { parseQuery, parseWith } from "@/lib/api/parse";
import { resultIdParamSchema } from "@/lib/results/schemas";
import { jobResultsQuerySchema } from "@/lib/jobs/schemas";
import { getResult } from "@/lib/results/queries";

export const GET = withApi<{ result_id: string }>(async ({ params, url, db, caller }) => {
  const { result_id } = parseWith(resultIdParamSchema, params);
  const q = parseQuery(jobResultsQuerySchema, url);
  return getResult(db, caller, result_id, { compact: q.compact, includeDisplayNames: q.include_display_names });
});
