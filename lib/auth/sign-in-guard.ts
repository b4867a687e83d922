import type { Db } from "../db/client";
import { count, consume, peek, RateLimitedError } from "../ratelimit/limiter";
import { signInPolicies } from "../ratelimit/policy";
import type { Caller } from "./caller";
import { authenticate, normaliseEmail } from "./users";

/**
 * Password check with brute-force brakes, shared by POST /token and the dashboard's
 * credentials sign-in. The brakes must slow a password guesser without handing anyone a way
 * to lock the owner out, so nothing is keyed on the username alone:
 *
 * - per username *and* client address: the first RATE_LIMIT_SIGNIN_PER_USERNAME failures in
 *   the window are free; each further one holds that username at that address for
 *   RATE_LIMIT_SIGNIN_DELAY_MS × 2^(n-1) (2 s, 4 s, 8 s… capped at the window). The same
 *   account signs in normally from any other address meanwhile.
 * - per address across usernames: RATE_LIMIT_SIGNIN_PER_IP failures in the window, then that
 *   address is refused until the window ends (password spraying).
 *
 * Held or refused attempts answer 429 before the password is checked, with Retry-After.
 * Successful sign-ins are not counted. The address comes from lib/api/client-ip.ts, so a
 * client cannot pick it.
 */
export async function authenticateGuarded(db: Db, email: string, password: string, ip: string): Promise<Caller | null> {
  const policies = signInPolicies();
  if (!policies) return authenticate(db, email, password);
  const key = `${normaliseEmail(email)}|${ip}`;
  const [held, address] = await Promise.all([peek(holdPolicy(0), key), peek(policies.ip, ip)]);
  if (held.exceeded)
    throw new RateLimitedError(held, "Too many failed sign-in attempts for this account from your address");
  if (address.exceeded) throw new RateLimitedError(address, "Too many failed sign-in attempts from your address");
  const caller = await authenticate(db, email, password);
  if (!caller) {
    const [failures] = await Promise.all([count(policies.usernameAtAddress, key), consume(policies.ip, ip)]);
    const over = failures.count - policies.usernameAtAddress.limit;
    if (over > 0) {
      const delayMs = Math.min(policies.baseDelayMs * 2 ** Math.min(over - 1, 30), policies.usernameAtAddress.windowMs);
      await consume(holdPolicy(delayMs), key);
    }
  }
  return caller;
}

/** A hold is a one-hit window as long as the delay: it exists (exceeded) until the delay ends. */
function holdPolicy(delayMs: number) {
  return { name: "signin_hold", limit: 1, windowMs: Math.max(1, delayMs) };
}
