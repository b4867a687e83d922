// A second app server's webhook workers, as a separate process on the same database
// (test/webhooks-two-workers.test.ts): started with DATABASE_URL, stopped with SIGTERM.
import { closeDb, getDb } from "../../lib/db/client";
import { startWebhookWorkers } from "../../lib/webhooks/workers";

await getDb();
await startWebhookWorkers();
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  void closeDb().then(() => process.exit(0));
});
