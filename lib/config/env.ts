import { z } from "../validation/zod";

/**
 * Every environment variable the server reads, in one place: its parser, its default and its
 * meaning. `validateEnv()` runs at start-up (instrumentation.ts and the scripts) and fails fast
 * with every bad variable named; `env(NAME)` reads one, parsed. The README's configuration
 * table is generated from this list (`npm run docs:env`) and a test keeps the two equal.
 *
 * Values are read from process.env on each `env()` call (cached per raw value), so a test
 * that changes a variable sees the change, as before this module existed.
 */

/** Where variables are read from: process.env, or a plain object in tests. */
export type EnvSource = Record<string, string | undefined>;

type Parser<T> = z.ZodType<T, string | undefined>;

interface VarSpec<T> {
  parse: Parser<T>;
  /** The default as shown in the README. */
  shown: string;
  /** What the variable does, as a README table cell (Markdown). */
  doc: string;
}

const blank = (s: string | undefined) => s === undefined || s.trim() === "";

function number(
  def: number,
  o: { min: number; max?: number; integer?: boolean; exclusiveMin?: boolean },
): Parser<number> {
  const max = o.max ?? Number.MAX_SAFE_INTEGER;
  const kind = o.integer === false ? "a number" : "an integer";
  const range = o.exclusiveMin ? `> ${o.min} and <= ${max}` : `between ${o.min} and ${max}`;
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (blank(s)) return def;
      const n = Number(s);
      const ok =
        Number.isFinite(n) &&
        (o.integer === false || Number.isInteger(n)) &&
        (o.exclusiveMin ? n > o.min : n >= o.min) &&
        n <= max;
      if (!ok) ctx.addIssue({ code: "custom", message: `must be ${kind} ${range} (got '${s}')` });
      return n;
    });
}

function text(def: string): Parser<string> {
  return z
    .string()
    .optional()
    .transform((s) => (blank(s) ? def : s!.trim()));
}

function optionalText(): Parser<string | undefined> {
  return z
    .string()
    .optional()
    .transform((s) => (blank(s) ? undefined : s!.trim()));
}

function flag(def: boolean): Parser<boolean> {
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (blank(s)) return def;
      const v = s!.trim().toLowerCase();
      if (["1", "true", "yes", "on"].includes(v)) return true;
      if (["0", "false", "no", "off"].includes(v)) return false;
      ctx.addIssue({ code: "custom", message: `must be 1/true or 0/false (got '${s}')` });
      return def;
    });
}

function url(protocols: string[], hint: string): Parser<string | undefined> {
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (blank(s)) return undefined;
      const v = s!.trim();
      let ok = false;
      try {
        ok = protocols.includes(new URL(v).protocol);
      } catch {
        ok = false;
      }
      if (!ok) ctx.addIssue({ code: "custom", message: `must be ${hint} (got '${v.split(":")[0]}:…')` });
      return v;
    });
}

/**
 * 4 or 6 for an IPv4 / IPv6 address, else 0. Written out rather than node:net's isIP because
 * this module also reaches browser bundles (through shared metric helpers).
 */
function ipVersion(address: string): 0 | 4 | 6 {
  const v4 = address.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255) ? 4 : 0;
  const groups = address.split(":");
  const ok =
    address.includes(":") &&
    groups.length <= 8 &&
    groups.every((g) => /^[0-9a-f]{0,4}$/i.test(g)) &&
    (address.match(/::/g) ?? []).length <= 1;
  return ok ? 6 : 0;
}

/** Comma list of IP addresses and CIDR blocks; each entry is checked. */
function addressList(): Parser<string> {
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      const raw = (s ?? "").trim();
      for (const entry of raw
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean)) {
        const [address, bits] = entry.split("/");
        const type = ipVersion(address.replace(/^\[|\]$/g, ""));
        const prefix = bits === undefined ? 0 : Number(bits);
        if (!type || !Number.isInteger(prefix) || prefix < 0 || prefix > (type === 6 ? 128 : 32)) {
          ctx.addIssue({ code: "custom", message: `has an entry that is not an IP address or CIDR block: '${entry}'` });
        }
      }
      return raw;
    });
}

function oneOf<const T extends readonly string[]>(
  values: T,
  def: T[number] | undefined,
): Parser<T[number] | undefined> {
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (blank(s)) return def;
      const v = s!.trim();
      if (!values.includes(v))
        ctx.addIssue({ code: "custom", message: `must be one of ${values.join(", ")} (got '${v}')` });
      return v as T[number];
    });
}

const spec = <T>(parse: Parser<T>, shown: string, doc: string): VarSpec<T> => ({ parse, shown, doc });

export const ENV = {
  DATABASE_URL: spec(
    url(["postgres:", "postgresql:"], "a postgres:// or postgresql:// URL"),
    "unset",
    "`postgres://user:pass@host:5432/db` → PostgreSQL through `@prisma/adapter-pg`. Unset → embedded PGlite. The schema is migrated on startup either way.",
  ),
  DATABASE_POOL_SIZE: spec(
    number(10, { min: 1, max: 1000 }),
    "`10`",
    "PostgreSQL connection pool size per app instance.",
  ),
  QUEUE_POOL_SIZE: spec(
    number(3, { min: 1, max: 50 }),
    "`3`",
    "PostgreSQL connections of the background queue (pg-boss) per app server.",
  ),
  BENCHBOARD_DATA_DIR: spec(
    text(".data"),
    "`./.data`",
    "Data folder: embedded database (`pglite/`) and the generated signing secret.",
  ),
  PGLITE_DATA_DIR: spec(
    optionalText(),
    "`$BENCHBOARD_DATA_DIR/pglite`",
    "Embedded database folder; `memory://` keeps it in memory (tests), started from a migrated copy kept in the temporary folder.",
  ),
  AUTH_SECRET: spec(
    optionalText(),
    "generated into the data folder",
    "Signs access tokens, job tokens and browser sessions (`NEXTAUTH_SECRET` is read when this is unset). Set it in production, the same on every instance.",
  ),
  NEXTAUTH_SECRET: spec(optionalText(), "unset", "Alias of `AUTH_SECRET` (next-auth's name for it)."),
  NEXTAUTH_URL: spec(
    url(["http:", "https:"], "an http(s) URL"),
    "request origin",
    "Public URL of the dashboard, for next-auth redirects and report links. Unset → taken from each request's `Host` (or `X-Forwarded-Host` behind a proxy); the server sets `AUTH_TRUST_HOST=1` so next-auth does so. Set it when the proxy forwards neither.",
  ),
  ACCESS_TOKEN_TTL_SECONDS: spec(
    number(3600, { min: 60, max: 30 * 86400 }),
    "`3600`",
    "Lifetime of bearer tokens from `POST /token`.",
  ),
  CALLER_CACHE_TTL_MS: spec(
    number(5000, { min: 0, max: 60_000 }),
    "`5000`",
    "How long an instance reuses a signed-in caller (user, role, customer, active) before reading the account again. A deactivation or role change made through the API applies at once on the instance that made it and within this bound on the others. `0` reads the account on every request.",
  ),
  AGENT_JOB_CACHE_MS: spec(
    number(1000, { min: 0, max: 10_000 }),
    "`1000`",
    "How long an instance reuses a job's row for its agents' `GET /jobs/current` and registrations, and shares one read among the nodes that ask at once. Those answers' state and node count are at most this old; a registration is checked again under the job's lock, and a job cancelled or deleted through the API is dropped at once on the instance that did it. `0` reads the job on every request.",
  ),
  BCRYPT_COST: spec(number(10, { min: 4, max: 15 }), "`10`", "Password hashing cost."),
  BENCHBOARD_DEMO: spec(flag(true), "`1`", "`0` skips the demo accounts and history on first start."),
  BENCHBOARD_DEMO_JOBS: spec(
    number(240, { min: 0, max: 100_000 }),
    "`240`",
    "Number of demo jobs created on first start.",
  ),
  PERFORMANCE_THRESHOLD: spec(
    number(0.9, { min: 0, max: 1, integer: false, exclusiveMin: true }),
    "`0.9`",
    "A node is underperforming when a key metric (bf16/fp16 TFLOPS, memory bandwidth) is below this fraction of its GPU model's reference.",
  ),
  PERFORMANCE_FLEET_MIN_SAMPLES: spec(
    number(10, { min: 1 }),
    "`10`",
    "Node results of a GPU model needed before the fleet median replaces the vendor-spec reference.",
  ),
  PERFORMANCE_FLEET_WINDOW_RUNS: spec(
    number(1000, { min: 1, max: 100_000 }),
    "`1000`",
    "The fleet band of a GPU model (median, MAD, p10) covers at most its last this-many scored nodes…",
  ),
  PERFORMANCE_FLEET_WINDOW_DAYS: spec(
    number(90, { min: 0, integer: false, exclusiveMin: true }),
    "`90`",
    "…within this many days.",
  ),
  PERFORMANCE_HISTORY_RUNS: spec(
    number(20, { min: 3, max: 500 }),
    "`20`",
    "Own-history test: a node is compared with its machine's last this-many scored runs of the same GPU model (since the latest baseline-resetting annotation).",
  ),
  PERFORMANCE_HISTORY_MIN_RUNS: spec(
    number(5, { min: 3, max: 500 }),
    "`5`",
    "Fewer earlier runs than this: no own-history verdict yet.",
  ),
  PERFORMANCE_HISTORY_Z: spec(
    number(3.5, { min: 0, max: 100, integer: false, exclusiveMin: true }),
    "`3.5`",
    "A key metric whose modified z-score against that history is at or below −this…",
  ),
  PERFORMANCE_HISTORY_MIN_DROP: spec(
    number(0.03, { min: 0, max: 0.99, integer: false }),
    "`0.03`",
    "…and which is at least this fraction below the history's median is `regressed`.",
  ),
  CONFIRM_RERUNS: spec(
    flag(true),
    "`1`",
    "A node scored underperforming or regressed on an enrolled machine is re-run there once before the machine is called suspect. `0`: any such verdict makes its machine suspect at once (see [Machine health](#machine-health)).",
  ),
  AGENT_HEARTBEAT_TIMEOUT_SECONDS: spec(
    number(300, { min: 1, integer: false }),
    "`300`",
    "A running node silent this long is lost; its job ends as aborted.",
  ),
  SWEEP_INTERVAL_SECONDS: spec(
    number(15, { min: 1, integer: false }),
    "`15`",
    'How often the sweeper ends expired / timed-out jobs; each round is done by one of the instances (README "Scale out").',
  ),
  AGENT_POLL_WAIT_SECONDS: spec(
    number(25, { min: 1, max: 300, integer: false }),
    "`25`",
    "How long an enrolled machine's service agent's request for work (`GET /agents/work`) is held open when there is none; each one counts as its heartbeat.",
  ),
  AGENT_OFFLINE_AFTER_SECONDS: spec(
    number(90, { min: 1, integer: false }),
    "`90`",
    "An enrolled machine whose service agent has not called in for this long is `offline` (keep it above `AGENT_POLL_WAIT_SECONDS`).",
  ),
  SCHEDULE_TICK_SECONDS: spec(
    number(30, { min: 0.5, max: 3600, integer: false }),
    "`30`",
    "How often each instance looks for due schedule ticks (a due tick runs within this long; each runs once across instances).",
  ),
  SCHEDULE_MIN_INTERVAL_SECONDS: spec(
    number(300, { min: 1, integer: false }),
    "`300`",
    "Schedules whose cron fires more often than this are refused (400). Cron may have a seconds field.",
  ),
  EXPORT_PAGE_SIZE: spec(
    number(500, { min: 1, max: 10_000 }),
    "`500`",
    "Jobs read per database round trip by `GET /jobs/export`.",
  ),
  PORT: spec(number(3000, { min: 1, max: 65535 }), "`3000`", "HTTP port of `npm start`."),
  REDIS_URL: spec(
    url(["redis:", "rediss:"], "a redis:// or rediss:// URL"),
    "unset",
    "`redis://host:6379` → rate-limit counters shared by all instances through Redis, and a `redis` check in `/api/health/ready`. Unset → counters in each instance's memory.",
  ),
  REDIS_TIMEOUT_MS: spec(
    number(200, { min: 1, max: 60_000 }),
    "`200`",
    "A Redis command slower than this counts as Redis being down (the request is then limited in memory; never failed).",
  ),
  RATE_LIMIT_DEFAULT_PER_MINUTE: spec(
    number(600, { min: 1 }),
    "`600`",
    "Requests per client per window for every API endpoint without its own limit.",
  ),
  RATE_LIMIT_LIST_JOBS_PER_MINUTE: spec(number(300, { min: 1 }), "`300`", "`GET /jobs` per client per window."),
  RATE_LIMIT_CREATE_JOB_PER_MINUTE: spec(number(100, { min: 1 }), "`100`", "`POST /jobs` per client per window."),
  RATE_LIMIT_AGENT_PER_MINUTE: spec(
    number(120_000, { min: 1 }),
    "`120000`",
    "Agent (job-token) requests per job per window, shared by all nodes of the job (2,000/s).",
  ),
  RATE_LIMIT_WINDOW_MS: spec(number(60_000, { min: 1 }), "`60000`", "Length of the API rate-limit window."),
  RATE_LIMIT_SIGNIN_PER_USERNAME: spec(
    number(5, { min: 1 }),
    "`5`",
    "Free failed sign-ins per username *from one address* per sign-in window; each further failure holds that username at that address (see [Security](#security)).",
  ),
  RATE_LIMIT_SIGNIN_PER_IP: spec(
    number(20, { min: 1 }),
    "`20`",
    "Failed sign-ins per client address per sign-in window.",
  ),
  RATE_LIMIT_SIGNIN_WINDOW_MS: spec(number(900_000, { min: 1 }), "`900000`", "Sign-in brute-force window (15 min)."),
  RATE_LIMIT_SIGNIN_DELAY_MS: spec(
    number(2000, { min: 1 }),
    "`2000`",
    "First hold after `RATE_LIMIT_SIGNIN_PER_USERNAME` failures of one username from one address; it doubles with each further failure (capped at the sign-in window). See [Security](#security).",
  ),
  RATE_LIMIT_REDIS_PREFIX: spec(
    text("benchboard:ratelimit:"),
    "`benchboard:ratelimit:`",
    "Key prefix of the counters in Redis.",
  ),
  RATE_LIMIT_DISABLED: spec(flag(false), "unset", "`1` turns every rate limit off (benchmarks)."),
  TRUSTED_PROXIES: spec(
    addressList(),
    "none",
    "Comma list of addresses and CIDR blocks (IPv4, IPv6) of reverse proxies whose `X-Forwarded-For` is believed; from anyone else it is ignored and the TCP peer is the client address (rate limits, sign-in brakes). See [Security](#security).",
  ),
  AGENT_LISTENER: spec(
    oneOf(["lean", "next"] as const, "lean"),
    "`lean`",
    "`lean`: the agent protocol (`/jobs/current…`) is served beside Next.js by a plain Node.js listener in the same process, with the same handlers (about half the CPU a request). `next`: through Next.js like every other route.",
  ),
  READ_LISTENER: spec(
    oneOf(["lean", "next"] as const, "lean"),
    "`lean`",
    "`lean`: the most frequent JSON reads (`GET /jobs`, `/jobs/stats`, `/jobs/tags`, `/jobs/summary`, `/jobs/{job_id}` and its `/results`, `/tasks`, `/server`, `/machines`, `/machines/heatmap`, `/machines/{machine_id}`, `/compare`) are served beside Next.js by the same plain Node.js listener, with the same handlers, gzipped in one call (about 1.5 ms less a request). `next`: through Next.js like every other route.",
  ),
  LOG_LEVEL: spec(
    oneOf(["fatal", "trace", "debug", "info", "warn", "error", "silent"] as const, undefined),
    "`info` (`silent` under the test runner)",
    "pino level of the JSON logs on stdout: `trace`, `debug`, `info`, `warn`, `error`, `silent`.",
  ),
  METRICS_TOKEN: spec(
    optionalText(),
    "unset",
    "When set, `/api/metrics` (Prometheus) requires `Authorization: Bearer <METRICS_TOKEN>`. Unset, it is open: keep it on a private network.",
  ),
  HEALTH_CHECK_TIMEOUT_MS: spec(
    number(1000, { min: 1, max: 60_000 }),
    "`1000`",
    "Time each readiness check (database, Redis) may take before it counts as failed.",
  ),
  WEBHOOK_TIMEOUT_SECONDS: spec(
    number(10, { min: 1, max: 120, integer: false }),
    "`10`",
    "Time one webhook delivery attempt may take (connect, send, answer) before it counts as failed and is retried.",
  ),
  WEBHOOK_RETRY_LIMIT: spec(
    number(7, { min: 0, max: 20 }),
    "`7`",
    "Retries of a failed webhook delivery after its first attempt; then it is marked failed (a person can still redeliver it).",
  ),
  WEBHOOK_RETRY_DELAY_SECONDS: spec(
    number(20, { min: 1, max: 3600 }),
    "`20`",
    "First retry delay of a webhook delivery; each further retry waits twice as long, with up to 100 % random jitter (defaults: 7 retries over about an hour).",
  ),
  WEBHOOK_DISPATCH_INTERVAL_SECONDS: spec(
    number(2, { min: 0.5, max: 60, integer: false }),
    "`2`",
    "How often the webhook dispatcher turns new events into deliveries (one dispatcher at a time across all instances).",
  ),
  EVENT_RETENTION_DAYS: spec(
    number(30, { min: 0, max: 3650 }),
    "`30`",
    "Days an outbox event (and its webhook deliveries and attempt log) is kept once every delivery of it has ended; `0` keeps them forever.",
  ),
  BENCHBOARD_TERMS: spec(text(""), "empty", "Terms of use text returned by `GET /server`."),
  FUZZ_RUNS: spec(
    number(150, { min: 1 }),
    "`150`",
    "Tests only: requests sent by the property-based API fuzz test (`test/fuzz-api.test.ts`); raise it for a longer run.",
  ),
  FUZZ_SEED: spec(optionalText(), "random", "Tests only: replays a failing fuzz run (the seed it printed)."),
  TEST_DATABASE_URL: spec(
    url(["postgres:", "postgresql:"], "a postgres:// or postgresql:// URL"),
    "unset",
    "Tests only: a PostgreSQL server URL; each test file creates (and drops) a fresh database on it. Unset → in-memory PGlite.",
  ),
} satisfies Record<string, VarSpec<unknown>>;

export type EnvName = keyof typeof ENV;
type EnvValue<K extends EnvName> = (typeof ENV)[K] extends VarSpec<infer T> ? T : never;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}\nSee the Configuration section of README.md.`,
    );
    this.name = "ConfigError";
  }
}

const cache = new Map<EnvName, { raw: string | undefined; value: unknown }>();

/** One variable, parsed (its default when unset or blank). Throws ConfigError when it is invalid. */
export function env<K extends EnvName>(name: K, source: EnvSource = process.env): EnvValue<K> {
  const raw = source[name];
  const hit = source === process.env ? cache.get(name) : undefined;
  if (hit && hit.raw === raw) return hit.value as EnvValue<K>;
  const r = (ENV[name].parse as Parser<unknown>).safeParse(raw);
  if (!r.success) throw new ConfigError([`${name} ${r.error.issues[0]?.message ?? "is invalid"}`]);
  if (source === process.env) cache.set(name, { raw, value: r.data });
  return r.data as EnvValue<K>;
}

/** Checks every variable at once, so a misconfigured server stops at start-up naming them all. */
export function validateEnv(source: EnvSource = process.env): void {
  const problems: string[] = [];
  for (const name of Object.keys(ENV) as EnvName[]) {
    const r = (ENV[name].parse as Parser<unknown>).safeParse(source[name]);
    if (!r.success) problems.push(`${name} ${r.error.issues[0]?.message ?? "is invalid"}`);
  }
  if (problems.length) throw new ConfigError(problems);
}

/** The README's configuration table, generated from ENV. */
export function configurationTable(): string {
  const rows = (Object.keys(ENV) as EnvName[]).map((name) => `| \`${name}\` | ${ENV[name].shown} | ${ENV[name].doc} |`);
  return ["| Variable | Default | Meaning |", "| --- | --- | --- |", ...rows].join("\n");
}
