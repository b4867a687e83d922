// GET /enrollment-tokens – list the caller's customers' tokens; POST – create one (its secret is answered once)
import { withApi } from "@/lib/api/with-api";
import { json } from "@/lib/api/respond";
import { parseJson, parseQuery } from "@/lib/api/parse";
import { createEnrollmentTokenSchema, listEnrollmentTokensQuerySchema } from "@/lib/enrollment/schemas";
import { createEnrollmentToken, listEnrollmentTokens } from "@/lib/enrollment/tokens";

export const GET = withApi(async ({ url, db, caller }) =>
  listEnrollmentTokens(db, caller, parseQuery(listEnrollmentTokensQuerySchema, url)),
);

export const POST = withApi(async ({ req, db, caller }) =>
  json(await createEnrollmentToken(db, caller, await parseJson(createEnrollmentTokenSchema, req)), { status: 201 }),
);
