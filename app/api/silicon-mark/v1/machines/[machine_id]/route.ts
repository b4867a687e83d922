import { withApi } from "@/lib/api/with-api";
import { parseQuery, parseWith } from "@/lib/api/parse";
import { machineHistoryQuerySchema, machineIdParamSchema } from "@/lib/fleet/schemas";
import { getMachine } from "@/lib/fleet/queries";

export const GET = withApi<{ machine_id: string }>(async ({ url, params, db, caller }) =>
  getMachine(
    db,
    caller,
    parseWith(machineIdParamSchema, params).machine_id,
    parseQuery(machineHistoryQuerySchema, url),
  ),
);
