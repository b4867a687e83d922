// First start of an empty database: demo customers, users and a realistic job history.
// Does nothing once users exist. BENCHBOARD_DEMO=0 starts empty instead;
// BENCHBOARD_DEMO_JOBS sets the number of demo jobs (default 240), shared out over the demo
// fleet's nightly and weekly schedule (README "Demo data").
import { getDb } from "../lib/db/client";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoAccounts } from "../lib/demo/accounts";
import { seedDemoHistory } from "../lib/demo/history";
import { runCli } from "./cli-args";

await runCli(async () => {
  if (process.env.BENCHBOARD_DEMO === "0") return;
  const db = await getDb();
  if (!(await seedDemoAccounts(db))) return;
  const jobs = Number(process.env.BENCHBOARD_DEMO_JOBS ?? 240);
  process.stdout.write(`Creating demo data: ${jobs} jobs of the demo fleets over 60 days…`);
  const started = Date.now();
  await seedDemoHistory(db, {
    jobs,
    onProgress: (done, total) => done % 40 === 0 && process.stdout.write(` ${done}/${total}`),
  });
  console.log(` done in ${Math.round((Date.now() - started) / 1000)} s`);
  console.log("\nSign in with any of these (password: " + DEMO_PASSWORD + "):");
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.email.padEnd(26)} ${a.role.padEnd(15)} ${a.customer}`);
  console.log("");
});
