import type { Db } from "../db/client";
import { createUser } from "../auth/users";
import type { Role } from "../auth/roles";

/** Demo accounts created on first start of an empty database (printed by `npm start`). */
export const DEMO_PASSWORD = "benchboard-demo";
export const DEMO_ACCOUNTS: { email: string; role: Role; customer: string; name: string }[] = [
  { email: "root@benchboard.local", role: "root_admin", customer: "Benchboard", name: "Root Admin" },
  { email: "staff@benchboard.local", role: "staff", customer: "Benchboard", name: "Support Staff" },
  { email: "admin@acme.example", role: "customer_admin", customer: "Acme GPU Cloud", name: "Ada Admin" },
  { email: "engineer@acme.example", role: "user", customer: "Acme GPU Cloud", name: "Eve Engineer" },
  { email: "admin@globex.example", role: "customer_admin", customer: "Globex Compute", name: "Gus Admin" },
  { email: "engineer@globex.example", role: "user", customer: "Globex Compute", name: "Gil Engineer" },
];

/** Creates the demo accounts when the database has no users at all; returns whether it did. */
export async function seedDemoAccounts(db: Db): Promise<boolean> {
  if ((await db.user.count()) > 0) return false;
  for (const a of DEMO_ACCOUNTS) await createUser(db, { ...a, password: DEMO_PASSWORD });
  return true;
}
