import { withApi } from "@/lib/api/with-api";
import { parseJson, parseWith } from "@/lib/api/parse";
import { updateUserSchema, userIdParamSchema } from "@/lib/users/schemas";
import { updateManagedUser } from "@/lib/users/commands";

export const PATCH = withApi<{ user_id: string }>(async ({ req, params, db, caller }) => {
  const { user_id } = parseWith(userIdParamSchema, params);
  return updateManagedUser(db, caller, user_id, await parseJson(updateUserSchema, req));
});
