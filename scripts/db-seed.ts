// First start of an empty database: demo customers and users. Does nothing once users exist.
// Set BENCHBOARD_DEMO=0 to start with an empty database instead.
import { getDb } from "../lib/db/client";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoAccounts } from "../lib/demo/accounts";
import { runCli } from "./cli-args";

await runCli(async () => {
  if (process.env.BENCHBOARD_DEMO === "0") return;
  const db = await getDb();
  if (!(await seedDemoAccounts(db))) return;
  console.log("\nDemo data created. Sign in with any of these (password: " + DEMO_PASSWORD + "):");
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(26)} ${a.role.padEnd(15)} ${a.customer}`);
  console.log("");
});
