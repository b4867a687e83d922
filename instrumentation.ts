// Runs once when the Next.js server starts: the lifecycle sweeper that ends jobs whose
// token expired, whose nodes never came or stopped heartbeating (lib/jobs/lifecycle.ts).
// Every instance runs it; its transitions are conditional, so instances never conflict.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Fail fast: a server with a bad setting refuses to start, naming every bad variable.
  const { validateEnv } = await import("./lib/config/env");
  validateEnv();
  const { startSweeper } = await import("./lib/jobs/sweeper");
  startSweeper();
}
