// A separate app instance for multi-instance tests: its own process (own memory, own rate
// limiter), a fresh database, the real route handlers behind loopback HTTP. Prints its URL
// as one JSON line; SIGTERM stops it.
import { useFreshDatabase } from "./db";
import { startHttpServer } from "./http-server";

const { teardown } = await useFreshDatabase();
const server = await startHttpServer();
process.stdout.write(JSON.stringify({ url: server.url }) + "\n");
process.on("SIGTERM", async () => {
  await server.close();
  await teardown();
  process.exit(0);
});
