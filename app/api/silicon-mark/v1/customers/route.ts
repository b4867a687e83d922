import { withApi } from "@/lib/api/with-api";
import { json } from "@/lib/api/respond";
import { parseJson } from "@/lib/api/parse";
import { createCustomerSchema } from "@/lib/users/schemas";
import { listCustomers } from "@/lib/users/queries";
import { createCustomer } from "@/lib/users/commands";

export const GET = withApi(async ({ db, caller }) => listCustomers(db, caller));

export const POST = withApi(async ({ req, db, caller }) => {
  const { name } = await parseJson(createCustomerSchema, req);
  return json(await createCustomer(db, caller, name), { status: 201 });
});
