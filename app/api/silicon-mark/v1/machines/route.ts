import { withApi } from "@/lib/api/with-api";
import { parseQuery } from "@/lib/api/parse";
import { listMachinesQuerySchema } from "@/lib/fleet/schemas";
import { listMachines } from "@/lib/fleet/queries";

export const GET = withApi(async ({ url, db, caller }) =>
  listMachines(db, caller, parseQuery(listMachinesQuerySchema, url)),
);
