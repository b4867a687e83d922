import type { Db } from "../db/client";
import { consume, peek, RateLimitedError } from "../ratelimit/limiter";
import { signInPolicies } from "../ratelimit/policy";
import type { Caller } from "./caller";
import { authenticate, normaliseEmail } from "./users";

/**
 * Password check with brute-force brakes, shared by POST /token and the dashboard's
 * credentials sign-in: failed attempts are counted per username and per client address;
 * once either budget is used up, attempts are refused (429) before the password is checked,
 * until the window ends. Successful sign-ins are not counted.
 */
export async function authenticateGuarded(db: Db, email: string, password: string, ip: string): Promise<Caller | null> {
  const policies = signInPolicies();
  if (!policies) return authenticate(db, email, password);
  const username = normaliseEmail(email);
  const standing = await Promise.all([peek(policies.username, username), peek(policies.ip, ip)]);
  const blocked = standing.find((q) => q.exceeded);
  if (blocked) throw new RateLimitedError(blocked, "Too many failed sign-in attempts");
  const caller = await authenticate(db, email, password);
  if (!caller) await Promise.all([consume(policies.username, username), consume(policies.ip, ip)]);
  return caller;
}
