import { withApi } from "@/lib/api/with-api";
import { json } from "@/lib/api/respond";
import { parseJson, parseQuery } from "@/lib/api/parse";
import { createUserSchema, listUsersQuerySchema } from "@/lib/users/schemas";
import { listUsersFor } from "@/lib/users/queries";
import { createManagedUser } from "@/lib/users/commands";

export const GET = withApi(async ({ url, db, caller }) =>
  listUsersFor(db, caller, parseQuery(listUsersQuerySchema, url)),
);

export const POST = withApi(async ({ req, db, caller }) =>
  json(await createManagedUser(db, caller, await parseJson(createUserSchema, req)), { status: 201 }),
);
