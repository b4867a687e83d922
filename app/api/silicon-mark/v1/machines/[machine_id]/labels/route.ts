// PUT /machines/{machine_id}/labels – set an administered machine's labels (schedules' target.tags)
import { withApi } from "@/lib/api/with-api";
import { parseJson, parseWith } from "@/lib/api/parse";
import { machineIdParamSchema } from "@/lib/fleet/schemas";
import { machineLabelsSchema } from "@/lib/enrollment/schemas";
import { setMachineLabels } from "@/lib/enrollment/machines";

export const PUT = withApi<{ machine_id: string }>(async ({ req, params, db, caller }) =>
  setMachineLabels(
    db,
    caller,
    parseWith(machineIdParamSchema, params).machine_id,
    await parseJson(machineLabelsSchema, req),
  ),
);
