// Runs once when the Next.js server starts: the stamp of each request's TCP peer address that
// client-address decisions rest on (lib/http/peer-address.ts), and the lifecycle sweeper that ends jobs whose
// token expired, whose nodes never came or stopped heartbeating (lib/jobs/lifecycle.ts).
// Every instance runs it; each round is claimed by one instance (lib/ops/periodic-claim.ts), and
// its transitions are conditional, so instances never conflict.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Fail fast: a server with a bad setting refuses to start, naming every bad variable.
  const { env, validateEnv } = await import("./lib/config/env");
  validateEnv();
  // Without NEXTAUTH_URL the dashboard's public origin is the request's own (Host, or
  // X-Forwarded-Host behind a proxy), as the README says; next-auth v4 derives it only when
  // AUTH_TRUST_HOST is set, and otherwise warns on every start and builds relative URLs.
  if (!process.env.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST ??= "1";
  const { installPeerAddressStamp } = await import("./lib/http/peer-address");
  installPeerAddressStamp();
  // The agent protocol, served beside Next.js in this process (lib/http/agent-listener.ts).
  if (env("AGENT_LISTENER") === "lean") {
    const { installAgentListener } = await import("./lib/http/agent-listener");
    installAgentListener();
  }
  // The hottest reads, the same way (lib/http/read-listener.ts).
  if (env("READ_LISTENER") === "lean") {
    const { installReadListener } = await import("./lib/http/read-listener");
    installReadListener();
  }
  const { startSweeper } = await import("./lib/jobs/sweeper");
  startSweeper();
  const { startScheduleWorkers } = await import("./lib/schedules/workers");
  await startScheduleWorkers();
  const { startHealthWorkers } = await import("./lib/health/workers");
  await startHealthWorkers();
  const { startWebhookWorkers } = await import("./lib/webhooks/workers");
  await startWebhookWorkers();
}
