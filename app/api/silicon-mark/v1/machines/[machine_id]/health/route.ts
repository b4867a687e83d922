// POST /machines/{machine_id}/health – quarantine or clear a machine, with a note (admins)
import { withApi } from "@/lib/api/with-api";
import { parseJson, parseWith } from "@/lib/api/parse";
import { machineIdParamSchema } from "@/lib/fleet/schemas";
import { setMachineHealthSchema } from "@/lib/health/schemas";
import { setMachineHealth } from "@/lib/health/commands";

export const POST = withApi<{ machine_id: string }>(async ({ req, params, db, caller }) =>
  setMachineHealth(
    db,
    caller,
    parseWith(machineIdParamSchema, params).machine_id,
    await parseJson(setMachineHealthSchema, req),
  ),
);
