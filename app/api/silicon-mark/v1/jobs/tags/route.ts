import { withApi } from "@/lib/api/with-api";
import { rejectQuery } from "@/lib/api/parse";
import { listTags } from "@/lib/jobs/queries";

// GET /jobs/tags – unique tags of the caller's visible jobs
export const GET = withApi(async ({ url, db, caller }) => {
  rejectQuery(url);
  return { tags: await listTags(db, caller) };
});
