import { withApi } from "@/lib/api/with-api";
import { listTags } from "@/lib/jobs/queries";

export const GET = withApi(async ({ db, caller }) => ({ tags: await listTags(db, caller) }));
