import { env, type EnvName } from "../config/env";

/**
 * Rate limit policies: who may call how often. Defaults: POST /jobs 100/min, GET /jobs
 * 300/min, everything else 600/min per client; every number is overridable by an environment
 * variable (lib/config/env.ts), read on each call so tests and operators can change them.
 */
export interface RatePolicy {
  /** Bucket name: each policy counts separately for a client. */
  name: string;
  limit: number;
  windowMs: number;
}

export type ClientKind = "ip" | "user" | "job" | "machine";

export function rateLimitsDisabled(): boolean {
  return env("RATE_LIMIT_DISABLED");
}

type LimitVar = Extract<EnvName, `RATE_LIMIT_${string}_PER_MINUTE`>;

function perMinute(name: string, limitVar: LimitVar): RatePolicy {
  return { name, limit: env(limitVar), windowMs: env("RATE_LIMIT_WINDOW_MS") };
}

const JOBS_ROUTE = "/api/silicon-mark/v1/jobs";

/**
 * The policy of one API request. Agents (job tokens) have their own, much higher budget per
 * job: a 256-node job uploading results and logs must never be throttled by the limits meant
 * for people and scripts.
 */
export function apiPolicy(method: string, route: string, client: ClientKind): RatePolicy | null {
  if (rateLimitsDisabled()) return null;
  if (client === "job") return perMinute("agent", "RATE_LIMIT_AGENT_PER_MINUTE");
  if (route === JOBS_ROUTE && method === "POST") return perMinute("create_job", "RATE_LIMIT_CREATE_JOB_PER_MINUTE");
  if (route === JOBS_ROUTE && method === "GET") return perMinute("list_jobs", "RATE_LIMIT_LIST_JOBS_PER_MINUTE");
  return perMinute("default", "RATE_LIMIT_DEFAULT_PER_MINUTE");
}

/**
 * Sign-in brakes (POST /token and the dashboard's credentials sign-in), see
 * lib/auth/sign-in-guard.ts: failures are counted per username *and* client address, and per
 * address across usernames, over a window; past the free attempts each further failure from
 * that address holds the username there for an exponentially growing delay.
 */
export function signInPolicies(): { usernameAtAddress: RatePolicy; ip: RatePolicy; baseDelayMs: number } | null {
  if (rateLimitsDisabled()) return null;
  const windowMs = env("RATE_LIMIT_SIGNIN_WINDOW_MS");
  return {
    usernameAtAddress: { name: "signin_user_ip", limit: env("RATE_LIMIT_SIGNIN_PER_USERNAME"), windowMs },
    ip: { name: "signin_ip", limit: env("RATE_LIMIT_SIGNIN_PER_IP"), windowMs },
    baseDelayMs: env("RATE_LIMIT_SIGNIN_DELAY_MS"),
  };
}
