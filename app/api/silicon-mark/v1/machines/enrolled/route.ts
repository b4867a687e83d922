// GET /machines/enrolled – enrolled machines the caller administers, with their live agent status
import { withApi } from "@/lib/api/with-api";
import { rejectQuery } from "@/lib/api/parse";
import { listEnrolledMachines } from "@/lib/enrollment/machines";

export const GET = withApi(async ({ url, db, caller }) => {
  rejectQuery(url);
  return listEnrolledMachines(db, caller);
});
