// npm run user:list [-- --json]
import { getDb } from "../lib/db/client";
import { listUsers } from "../lib/auth/users";
import { parseArgs, runCli } from "./cli-args";

await runCli(async () => {
  const a = parseArgs(process.argv.slice(2), { json: "boolean" });
  const users = await listUsers(await getDb());
  if (a.json) return console.log(JSON.stringify(users));
  const rows = users.map((u) => [String(u.id), u.email, u.role, u.customer, u.active ? "active" : "deactivated"]);
  const header = ["ID", "EMAIL", "ROLE", "CUSTOMER", "STATUS"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [header, ...rows])
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    );
});
