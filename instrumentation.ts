// Runs once when the Next.js server starts: the stamp of each request's TCP peer address that
// client-address decisions rest on (lib/http/peer-address.ts), and the lifecycle sweeper that ends jobs whose
// token expired, whose nodes never came or stopped heartbeating (lib/jobs/lifecycle.ts).
// Every instance runs it; its transitions are conditional, so instances never conflict.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerAddressStamp } = await import("./lib/http/peer-address");
  installPeerAddressStamp();
  const { startSweeper } = await import("./lib/jobs/sweeper");
  startSweeper();
}
