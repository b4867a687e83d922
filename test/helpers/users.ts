import { getDb } from "../../lib/db/client";
import { createUser } from "../../lib/auth/users";
import type { Role } from "../../lib/auth/roles";
import { api, V1 } from "./api";

let n = 0;

/** Creates a user through the same service as the CLI and signs in through POST /token. */
export async function signedInUser(role: Role, customer: string, email?: string) {
  const address = email ?? `${role}-${++n}-${Date.now()}@${customer.toLowerCase().replace(/\W/g, "")}.test`;
  const password = "correct horse battery";
  const user = await createUser(await getDb(), { email: address, password, role, customer });
  const res = await api.post(`${V1}/token`, { form: { username: address, password } });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.text}`);
  return { ...user, password, token: res.body.access_token as string };
}

export type SignedInUser = Awaited<ReturnType<typeof signedInUser>>;

/**
 * The cast of the role × tenant tests: a user, a colleague (another user of the same customer)
 * and the admin of customer A; a user and the admin of customer B; staff and a root admin.
 */
export interface RoleMatrix {
  a: SignedInUser;
  aColleague: SignedInUser;
  aAdmin: SignedInUser;
  b: SignedInUser;
  bAdmin: SignedInUser;
  staff: SignedInUser;
  root: SignedInUser;
}

export async function signInRoleMatrix(customers = { a: "Customer A", b: "Customer B" }): Promise<RoleMatrix> {
  return {
    a: await signedInUser("user", customers.a),
    aColleague: await signedInUser("user", customers.a),
    aAdmin: await signedInUser("customer_admin", customers.a),
    b: await signedInUser("user", customers.b),
    bAdmin: await signedInUser("customer_admin", customers.b),
    staff: await signedInUser("staff", "Operator"),
    root: await signedInUser("root_admin", "Operator"),
  };
}
