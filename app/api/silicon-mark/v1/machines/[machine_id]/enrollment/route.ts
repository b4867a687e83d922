// DELETE /machines/{machine_id}/enrollment – remove a machine from service mode (its credential stops working)
import { withApi } from "@/lib/api/with-api";
import { parseWith } from "@/lib/api/parse";
import { machineIdParamSchema } from "@/lib/fleet/schemas";
import { removeEnrollment } from "@/lib/enrollment/machines";

export const DELETE = withApi<{ machine_id: string }>(async ({ params, db, caller }) =>
  removeEnrollment(db, caller, parseWith(machineIdParamSchema, params).machine_id),
);
