// POST /machines/{machine_id}/annotations – annotate a visible machine's history
import { withApi } from "@/lib/api/with-api";
import { json } from "@/lib/api/respond";
import { parseJson, parseWith } from "@/lib/api/parse";
import { createAnnotationSchema, machineIdParamSchema } from "@/lib/fleet/schemas";
import { createAnnotation } from "@/lib/fleet/annotations";

export const POST = withApi<{ machine_id: string }>(async ({ req, params, db, caller }) =>
  json(
    await createAnnotation(
      db,
      caller,
      parseWith(machineIdParamSchema, params).machine_id,
      await parseJson(createAnnotationSchema, req),
    ),
    { status: 201 },
  ),
);
