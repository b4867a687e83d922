// POST /agents/enroll – a service agent enrolls its machine with an enrollment token (Bearer)
import { withPublicApi } from "@/lib/api/with-api";
import { json } from "@/lib/api/respond";
import { parseJson } from "@/lib/api/parse";
import { bearerToken } from "@/lib/auth/resolve-caller";
import { enrollMachineSchema } from "@/lib/enrollment/schemas";
import { enrollMachine } from "@/lib/enrollment/agents";

export const POST = withPublicApi(async ({ req, db }) =>
  json(await enrollMachine(db, bearerToken(req), await parseJson(enrollMachineSchema, req)), { status: 201 }),
);
