// Proves a running `docker compose up` stack (compose.yaml) behaves as one server behind its
// proxy — what test/scale-out.test.ts proves for two local instances, here through the real
// containers, Docker's DNS and nginx (README "Scale out", "Docker and compose"):
//
//   AUTH_SECRET=… docker compose up --build -d --wait
//   npm run compose:smoke            # BENCHBOARD_URL (or --url) defaults to http://localhost:8080
//
// Each run creates a customer admin of its own customer ("Compose smoke"), with a random
// password that is never shown or kept, and one one-node job of that customer; it changes
// nothing else. One replica is stopped and started again to show the proxy routes around it. Each check
// prints PASS or FAIL; the exit status is the number that failed. Replicas are reached
// directly with `docker compose exec` (they publish no port) and told apart by the request ids
// their logs record.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { browserSession } from "../test/helpers/browser-session";
import { collectEvents } from "../test/helpers/sse";

const { values: args } = parseArgs({
  options: {
    url: { type: "string", default: process.env.BENCHBOARD_URL ?? "http://localhost:8080" },
    service: { type: "string", default: "app" },
  },
});
const PROXY = args.url!;
const APP = args.service!;
const V1 = "/api/silicon-mark/v1";
const RUN = Date.now().toString(36);
const EMAIL = `smoke-${RUN}@compose.test`;
const PASSWORD = randomBytes(24).toString("base64url");

let failed = 0;
function check(name: string, ok: boolean, detail: string) {
  if (!ok) failed++;
  console.log(`${ok ? "PASS" : "FAIL"}  ${name} — ${detail}`);
}

function docker(...a: string[]): string {
  return execFileSync("docker", a, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

const compose = (...a: string[]) => docker("compose", ...a);

/** A container's HEALTHCHECK status: starting, healthy or unhealthy. */
const healthOf = (container: string) => docker("inspect", "-f", "{{.State.Health.Status}}", container).trim();

/** The app's containers, in replica order. */
function replicas(): { name: string; index: number }[] {
  return compose("ps", APP, "--format", "{{.Name}}")
    .split("\n")
    .filter(Boolean)
    .map((name) => ({ name, index: Number(name.match(/-(\d+)$/)?.[1]) }))
    .sort((a, b) => a.index - b.index);
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function viaProxy(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(PROXY + path, init);
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}

/** A request made inside a replica's container to its own server (or to `url`), with Node's fetch. */
function fromReplica(index: number, url: string, headers: Record<string, string> = {}): Answer {
  const script = `fetch(process.argv[1], { headers: JSON.parse(process.argv[2]) }).then(async (r) =>
    console.log(JSON.stringify({ status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() })))`;
  const target = url.startsWith("http") ? url : `http://127.0.0.1:3000${url}`;
  const out = compose(
    "exec",
    "-T",
    "--index",
    String(index),
    APP,
    "node",
    "-e",
    script,
    target,
    JSON.stringify(headers),
  );
  return JSON.parse(out.trim().split("\n").pop()!);
}

/** Which replica logged each request id (the app logs one line per request). */
function answeredBy(ids: string[]): Map<string, number> {
  const by = new Map<string, number>();
  for (const r of replicas()) {
    const logs = docker("logs", r.name);
    for (const id of ids) if (logs.includes(id)) by.set(id, r.index);
  }
  return by;
}

async function main() {
  const apps = replicas();
  check("replicas", apps.length >= 2, `${apps.length} running: ${apps.map((r) => r.name).join(", ")}`);

  const users = apps.map((r) => compose("exec", "-T", "--index", String(r.index), APP, "id", "-u").trim());
  check(
    "non-root",
    users.every((u) => u !== "0"),
    `uid ${users.join(", ")}`,
  );
  const health = apps.map((r) => healthOf(r.name));
  check(
    "image HEALTHCHECK",
    health.every((h) => h === "healthy"),
    health.join(", "),
  );

  const ready = await viaProxy("/api/health/ready");
  check("readiness through the proxy", ready.status === 200, `${ready.status} ${ready.body}`);

  // Balancing: Docker's DNS answers the service name with every replica; nginx spreads over them.
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) ids.push((await viaProxy("/api/health/live")).headers["x-request-id"]);
  const spread = answeredBy(ids);
  const counts = apps.map((r) => [...spread.values()].filter((v) => v === r.index).length);
  check(
    "proxy balances",
    counts.every((c) => c > 0),
    `12 requests answered ${counts.join(" / ")} by the replicas`,
  );

  compose(
    "exec",
    "-T",
    "--index",
    String(apps[0].index),
    APP,
    "npm",
    "run",
    "--silent",
    "user:create",
    "--",
    "--email",
    EMAIL,
    "--password",
    PASSWORD,
    "--role",
    "customer_admin",
    "--customer",
    "Compose smoke",
  );
  const tokenRes = await viaProxy(`${V1}/token`, {
    method: "POST",
    body: new URLSearchParams({ username: EMAIL, password: PASSWORD }),
  });
  const token = (JSON.parse(tokenRes.body) as { access_token?: string }).access_token ?? "";
  check("token through the proxy", tokenRes.status === 200 && !!token, `${tokenRes.status}`);
  const auth = { authorization: `Bearer ${token}` };
  const perReplica = apps.map((r) => fromReplica(r.index, `${V1}/jobs?per_page=1`, auth).status);
  check(
    "the token works on every replica",
    perReplica.every((s) => s === 200),
    perReplica.join(", "),
  );

  // One client, one counter: each request forges another X-Forwarded-For, which nginx keeps on
  // the left of the address it appends; the apps trust only the proxy, so they count the
  // address it saw, in Redis, whichever of them answers.
  const limited: { remaining: number; id: string }[] = [];
  for (let i = 0; i < 8; i++) {
    const r = await viaProxy(`${V1}/server`, { headers: { "x-forwarded-for": `198.51.100.${i + 1}` } });
    limited.push({ remaining: Number(r.headers["x-ratelimit-remaining"]), id: r.headers["x-request-id"] });
  }
  const steps = limited.slice(1).every((x, i) => x.remaining === limited[i].remaining - 1);
  const by = answeredBy(limited.map((x) => x.id));
  const seq = limited.map((x) => `${x.remaining}@${by.get(x.id) ?? "?"}`).join(" ");
  check("rate limit counts the client once, across replicas, ignoring its X-Forwarded-For", steps, seq);

  // A replica reached directly (here, from the other replica) counts its peer, whatever the
  // header claims: the client's own counter above is not touched.
  const [first, second] = apps;
  const peerIp = docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", first.name).trim();
  const direct = fromReplica(second.index, `http://${peerIp}:3000${V1}/server`, {
    "x-forwarded-for": "172.28.0.1",
  });
  const after = await viaProxy(`${V1}/server`);
  check(
    "a direct, untrusted peer's X-Forwarded-For is ignored",
    Number(after.headers["x-ratelimit-remaining"]) === limited[limited.length - 1].remaining - 1 &&
      direct.status === 200,
    `direct request ${direct.status}, remaining ${direct.headers["x-ratelimit-remaining"]}; ` +
      `the proxied client's next remaining ${after.headers["x-ratelimit-remaining"]}`,
  );

  await browserSignIn();
  await logFollow(auth);

  // A replica goes away: nginx retries idempotent requests on the other one.
  docker("stop", first.name);
  const during: number[] = [];
  for (let i = 0; i < 8; i++) during.push((await viaProxy(`${V1}/jobs?per_page=1`, { headers: auth })).status);
  docker("start", first.name);
  // Back to healthy before this run ends, so that a run right after it finds both replicas up.
  let restarted = "";
  for (let i = 0; i < 120 && restarted !== "healthy"; i++) {
    await new Promise((r) => setTimeout(r, 500));
    restarted = healthOf(first.name);
  }
  check(
    "one replica stopped: the proxy answers from the other; it is healthy again once started",
    during.every((s) => s === 200) && restarted === "healthy",
    `${during.join(", ")}; ${first.name} ${restarted} after its start`,
  );
}

/** The dashboard's sign-in through the proxy, as a browser does it; the session then works on every replica. */
async function browserSignIn() {
  const { cookie: session, status } = await browserSession(PROXY, EMAIL, PASSWORD);
  const page = session ? await viaProxy("/jobs", { headers: { cookie: session }, redirect: "manual" }) : null;
  const apis = session
    ? replicas().map((r) => fromReplica(r.index, `${V1}/jobs?per_page=1`, { cookie: session }).status)
    : [];
  check(
    "browser sign-in through the proxy; the session works on every replica",
    !!session && page?.status === 200 && apis.every((s) => s === 200),
    `sign-in ${status}, session cookie ${session ? "set" : "missing"}, /jobs page ${page?.status}, API on each replica ${apis.join(", ")}`,
  );
}

/** Log follow (SSE) through the proxy: lines posted by an agent arrive as they are written, then `end`. */
async function logFollow(auth: Record<string, string>) {
  const json = { "content-type": "application/json" };
  const created = await viaProxy(`${V1}/jobs`, {
    method: "POST",
    headers: { ...auth, ...json },
    body: JSON.stringify({ name: `compose smoke ${RUN}`, benchmarks: ["quick_mark"], node_count: 1 }),
  });
  const job = JSON.parse(created.body) as { id: string; token: string };
  const agent = { authorization: `Bearer ${job.token}`, ...json };
  const reg = await viaProxy(`${V1}/jobs/current/tasks`, {
    method: "POST",
    headers: agent,
    body: JSON.stringify({ machine_uuid: `smoke-${RUN}`, gpu_model: "NVIDIA H100", gpu_count: 8 }),
  });
  const taskPath = `${V1}/jobs/current/tasks/${(JSON.parse(reg.body) as { id: string }).id}`;
  const post = (path: string, body: unknown) =>
    viaProxy(`${taskPath}${path}`, { method: "POST", headers: agent, body: JSON.stringify(body) });

  const controller = new AbortController();
  const stream = await fetch(`${PROXY}${V1}/jobs/${job.id}/logs?follow=true&timestamps=false`, {
    headers: { ...auth, accept: "text/event-stream" },
    signal: controller.signal,
  });
  const { events: seen, done: reading } = collectEvents(stream);

  const waits: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const line = `smoke line ${i}`;
    const t = performance.now();
    await post("/logs", { lines: [line] });
    for (let s = 0; s < 100 && !seen.some((e) => e.data === line); s++) await new Promise((r) => setTimeout(r, 50));
    const got = seen.find((e) => e.data === line);
    waits.push(got ? Math.round(got.at - t) : -1);
  }
  await post("/finish", { state: "completed" });
  for (let s = 0; s < 100 && !seen.some((e) => e.event === "end"); s++) await new Promise((r) => setTimeout(r, 50));
  controller.abort();
  await reading;
  const order = seen.map((e) => (e.event === "end" ? `end (${e.data})` : e.data)).join(" | ");
  check(
    "log follow through the proxy streams each line, then ends",
    stream.status === 200 && waits.every((w) => w >= 0) && seen.at(-1)?.event === "end",
    `${stream.status} ${stream.headers.get("content-type")}; each line after ${waits.join(", ")} ms; ${order}`,
  );
}

main()
  .catch((err) => {
    failed++;
    console.error(err);
  })
  .finally(() => {
    console.log(failed ? `${failed} check(s) failed` : "all checks passed");
    console.log(`Left behind: ${EMAIL} (customer "Compose smoke"; its password was random and is gone) and its job.`);
    process.exit(failed);
  });
