/**
 * Rate limit policies: who may call how often. Defaults follow seed 004 (POST /jobs 100/min,
 * GET /jobs 300/min, everything else 600/min per client); every number is overridable by an
 * environment variable, read on each call so tests and operators can change them.
 */
export interface RatePolicy {
  /** Bucket name: each policy counts separately for a client. */
  name: string;
  limit: number;
  windowMs: number;
}

export type ClientKind = "ip" | "user" | "job";

const MINUTE = 60_000;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === "" ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function rateLimitsDisabled(): boolean {
  return process.env.RATE_LIMIT_DISABLED === "1" || process.env.RATE_LIMIT_DISABLED === "true";
}

function perMinute(name: string, envName: string, fallback: number): RatePolicy {
  return { name, limit: envInt(envName, fallback), windowMs: envInt("RATE_LIMIT_WINDOW_MS", MINUTE) };
}

const JOBS_ROUTE = "/api/silicon-mark/v1/jobs";

/**
 * The policy of one API request. Agents (job tokens) have their own, much higher budget per
 * job: a 256-node job uploading results and logs must never be throttled by the limits meant
 * for people and scripts.
 */
export function apiPolicy(method: string, route: string, client: ClientKind): RatePolicy | null {
  if (rateLimitsDisabled()) return null;
  if (client === "job") return perMinute("agent", "RATE_LIMIT_AGENT_PER_MINUTE", 120_000);
  if (route === JOBS_ROUTE && method === "POST") return perMinute("create_job", "RATE_LIMIT_CREATE_JOB_PER_MINUTE", 100);
  if (route === JOBS_ROUTE && method === "GET") return perMinute("list_jobs", "RATE_LIMIT_LIST_JOBS_PER_MINUTE", 300);
  return perMinute("default", "RATE_LIMIT_DEFAULT_PER_MINUTE", 600);
}

/**
 * Sign-in brakes (POST /token and the dashboard's credentials sign-in), see
 * lib/auth/sign-in-guard.ts: failures are counted per username *and* client address, and per
 * address across usernames, over a window; past the free attempts each further failure from
 * that address holds the username there for an exponentially growing delay.
 */
export function signInPolicies(): { usernameAtAddress: RatePolicy; ip: RatePolicy; baseDelayMs: number } | null {
  if (rateLimitsDisabled()) return null;
  const windowMs = envInt("RATE_LIMIT_SIGNIN_WINDOW_MS", 15 * MINUTE);
  return {
    usernameAtAddress: { name: "signin_user_ip", limit: envInt("RATE_LIMIT_SIGNIN_PER_USERNAME", 5), windowMs },
    ip: { name: "signin_ip", limit: envInt("RATE_LIMIT_SIGNIN_PER_IP", 20), windowMs },
    baseDelayMs: envInt("RATE_LIMIT_SIGNIN_DELAY_MS", 2000),
  };
}
