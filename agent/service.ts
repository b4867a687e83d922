import fs from "node:fs";
import path from "node:path";
import { AgentClient, AgentHttpError } from "./client";
import { nodeIdentity, primaryIpv4 } from "./inventory";
import { UsageError, type AgentOptions } from "./options";
import { gpusOrProblem, runRealNode } from "./real-node";
import type { AgentEvent } from "./run-node";
import { ServiceClient, type WorkJob } from "./service-client";

/**
 * Service mode: the machine enrolls once (enrollment token → its own credential, kept in the
 * state file), then waits for work by long-polling the server, runs each job aimed at it with
 * exactly the one-off agent's code (runRealNode over the job's token), and waits again. When
 * the server is unreachable it reconnects with exponential backoff and jitter, so it survives
 * server restarts; a refused credential (machine removed) ends it with CREDENTIAL_REFUSED.
 */
export const CREDENTIAL_REFUSED = 4;

export class CredentialRefusedError extends Error {}

interface ServiceState {
  url: string;
  machine_id: number;
  machine_uuid: string;
  machine_credential: string;
  enrolled_at: string;
}

type Say = (line: string) => void;

export interface ServiceDeps {
  fetch?: typeof fetch;
  random?: () => number;
  /** Stops the loop (SIGTERM); the current long-poll is abandoned. */
  signal?: AbortSignal;
  onEvent?: (e: AgentEvent) => void;
}

/** What the agent asks for; the server holds at most AGENT_POLL_WAIT_SECONDS. */
const POLL_WAIT_SECONDS = 25;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 60_000;

/** Exponential backoff with "equal jitter": half the step fixed, half random, capped. */
export function backoffDelayMs(failures: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

function readState(file: string): ServiceState | null {
  try {
    const s = JSON.parse(fs.readFileSync(file, "utf8")) as ServiceState;
    return s.machine_credential ? s : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new UsageError(`Cannot read the state file ${file}: ${(err as Error).message}`);
  }
}

function writeState(file: string, state: ServiceState) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // The credential is a secret: readable by this user only, written whole or not at all.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(tmp, file);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

const refused = (err: unknown) => err instanceof AgentHttpError && (err.status === 401 || err.status === 403);

async function enroll(opts: AgentOptions, client: ServiceClient, version: string, say: Say): Promise<ServiceState> {
  if (!opts.enrollToken)
    throw new UsageError(
      `This machine is not enrolled yet (no ${opts.stateFile}): pass --enroll-token or set BENCHBOARD_ENROLL_TOKEN`,
    );
  const { gpus, cudaVersion, problem } = await gpusOrProblem();
  const node = nodeIdentity(gpus, cudaVersion, {
    machineId: opts.machineId,
    machineIp: opts.listenAddress ?? primaryIpv4(),
  });
  if (problem) node.inventory = { ...node.inventory, gpu_error: problem };
  if (!gpus.length && opts.device === "cpu") node.gpu_model = "none (CPU smoke test)";
  let answer;
  try {
    answer = await client.enroll(opts.enrollToken, { ...node, agent_version: version });
  } catch (err) {
    if (refused(err)) throw new CredentialRefusedError(`Enrollment refused: ${(err as Error).message}`);
    throw err;
  }
  const state: ServiceState = {
    url: opts.url!,
    machine_id: answer.machine_id,
    machine_uuid: answer.machine_uuid,
    machine_credential: answer.machine_credential,
    enrolled_at: new Date().toISOString(),
  };
  writeState(opts.stateFile, state);
  say(
    `Enrolled as machine ${state.machine_id} (${node.hostname}, ${node.machine_uuid}); credential kept in ${opts.stateFile}`,
  );
  return state;
}

/** Runs one job like a one-off agent would, telling the server the machine is busy meanwhile. */
async function runJob(job: WorkJob, state: ServiceState, opts: AgentOptions, deps: ServiceDeps, say: Say) {
  const service = new ServiceClient(state.url, deps.fetch);
  say(`Job ${job.id} "${job.name}": ${job.benchmark_sequence.map((s) => s.benchmark_id).join(", ")}`);
  const busy = setInterval(
    () => void service.heartbeat(state.machine_credential, "busy").catch(() => undefined),
    15_000,
  );
  try {
    const client = new AgentClient({
      baseUrl: state.url,
      token: job.token,
      fetch: deps.fetch,
      onRetry: ({ attempt, error, path: p }) => say(`  ! ${p}: ${error}; retry ${attempt} with backoff`),
    });
    const status = await runRealNode(
      client,
      job,
      { ...opts, machineId: state.machine_uuid },
      say,
      (e) => {
        deps.onEvent?.(e);
        if (e.type === "finished") say(`  ✓ finished: ${e.state}, job ${e.jobState}`);
        if (e.type === "stopped") say(`  ■ stopped: job is ${e.jobState}`);
      },
      deps.signal,
    );
    say(`Job ${job.id} done${status ? ` (exit ${status})` : ""}; waiting for work`);
  } catch (err) {
    // One job going wrong (it ended meanwhile, the node was refused) never ends the service.
    say(`  ✗ job ${job.id}: ${(err as Error).message}; waiting for work`);
  } finally {
    clearInterval(busy);
  }
}

export async function runService(opts: AgentOptions, version: string, say: Say, deps: ServiceDeps = {}) {
  if (!opts.url) throw new UsageError("--url is required (the dashboard's base URL)");
  const random = deps.random ?? Math.random;
  let state = readState(opts.stateFile);
  if (state && state.url.replace(/\/$/, "") !== opts.url.replace(/\/$/, "")) {
    say(`The state file was written for ${state.url}; enrolling with ${opts.url}`);
    state = null;
  }
  const client = new ServiceClient(opts.url, deps.fetch);
  let failures = 0;
  while (!state && !deps.signal?.aborted) {
    try {
      state = await enroll(opts, client, version, say);
    } catch (err) {
      if (err instanceof CredentialRefusedError || err instanceof UsageError) throw err;
      const delay = backoffDelayMs(++failures, random);
      say(
        `  ! cannot reach ${opts.url} to enroll (${(err as Error).message}); retrying in ${(delay / 1000).toFixed(1)} s`,
      );
      await sleep(delay, deps.signal);
    }
  }
  if (!state) return;
  say(`Machine ${state.machine_id}: waiting for work from ${state.url}`);
  failures = 0;
  while (!deps.signal?.aborted) {
    let job: WorkJob | null;
    try {
      job = (await client.work(state.machine_credential, POLL_WAIT_SECONDS, deps.signal)).job;
      if (failures) say(`  reconnected to ${state.url}`);
      failures = 0;
    } catch (err) {
      if (deps.signal?.aborted) break;
      if (refused(err))
        throw new CredentialRefusedError(
          `The server refused this machine's credential (${(err as Error).message}). Delete ${opts.stateFile} and enroll again with a new token.`,
        );
      const delay = backoffDelayMs(++failures, random);
      say(`  ! ${state.url} unreachable (${(err as Error).message}); reconnecting in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay, deps.signal);
      continue;
    }
    if (job) await runJob(job, state, opts, deps, say);
  }
}
