// npm run user:create -- --email E --password P --role R --customer NAME [--name "Full Name"] [--json]
import { getDb } from "../lib/db/client";
import { createUser } from "../lib/auth/users";
import { ROLES, type Role } from "../lib/auth/roles";
import { parseArgs, runCli } from "./cli-args";

await runCli(async () => {
  const a = parseArgs(process.argv.slice(2), {
    email: "string",
    password: "string",
    role: "string",
    customer: "string",
    name: "string",
    json: "boolean",
  });
  for (const k of ["email", "password", "customer"]) if (!a[k]) throw new Error(`--${k} is required`);
  const role = (a.role ?? "user") as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(", ")}`);
  const user = await createUser(await getDb(), {
    email: String(a.email),
    password: String(a.password),
    role,
    customer: String(a.customer),
    name: a.name ? String(a.name) : undefined,
  });
  console.log(
    a.json ? JSON.stringify(user) : `Created ${user.role} ${user.email} (id ${user.id}) in customer '${user.customer}'`,
  );
});
