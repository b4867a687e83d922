// GET /machines/drain-list – the visible quarantined hosts as a list, Slurm or kubectl commands
import { withApi } from "@/lib/api/with-api";
import { parseQuery } from "@/lib/api/parse";
import { drainListQuerySchema } from "@/lib/health/schemas";
import { drainList } from "@/lib/health/drain-list";

export const GET = withApi(async ({ url, db, caller }) => {
  const { format } = parseQuery(drainListQuerySchema, url);
  return new Response(await drainList(db, caller, format), {
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
});
