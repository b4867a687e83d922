// A second (or third) app server for the schedule tests: its own process on the database the
// parent test created (DATABASE_URL), running the schedule workers as instrumentation.ts does.
// Prints "ready" once they run; SIGTERM stops it.
import { closeDb, getDb } from "../../lib/db/client";
import { startScheduleWorkers } from "../../lib/schedules/workers";

await getDb();
await startScheduleWorkers();
process.stdout.write("ready\n");
process.on("SIGTERM", async () => {
  await closeDb();
  process.exit(0);
});
