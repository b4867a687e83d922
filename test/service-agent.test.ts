// Agent service mode end to end: the real agent CLI (agent/cli.ts, a child process) enrolls
// with a token, long-polls, picks up the job a schedule tick aimed at its machine within one
// tick, runs it with the one-off agent's runners, and keeps working across a server restart.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { useFreshDatabase } from "./helpers/db";
import { waitFor } from "./helpers/wait";
import { api, V1 } from "./helpers/api";
import { startHttpServer } from "./helpers/http-server";
import { signedInUser, type SignedInUser } from "./helpers/users";
import { fakeNvidiaSmiBin, fixtureQuickMarkRunner } from "./helpers/fake-gpu-node";
import { getDb } from "../lib/db/client";
import { startScheduleWorkers } from "../lib/schedules/workers";

// Seconds, not minutes: ticks every second, schedules may fire every few seconds, a long-poll
// is held 2 s (env() reads these on every call).
process.env.SCHEDULE_TICK_SECONDS = "1";
process.env.SCHEDULE_MIN_INTERVAL_SECONDS = "1";
process.env.AGENT_POLL_WAIT_SECONDS = "2";
const CRON_PERIOD_S = 3;

let teardown: () => Promise<void>;
let server: Awaited<ReturnType<typeof startHttpServer>>;
let admin: SignedInUser;
let agent: ChildProcess;
let output = "";
/** What a wait names when it times out: the agent's output so far, to see why. */
const withOutput = (what: string) => () => `${what}\n--- agent output ---\n${output}`;
/** When the agent said it received each job ("Job <id> …"), by the test's clock. */
const receivedAt = new Map<string, number>();
function collect(chunk: Buffer) {
  output += chunk;
  for (const m of String(chunk).matchAll(/^Job (\d+) "/gm)) if (!receivedAt.has(m[1])) receivedAt.set(m[1], Date.now());
}
let stopTicks: () => void;
const smiBin = fakeNvidiaSmiBin();
const stateFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "svc-state-")), "state.json");

before(async () => {
  ({ teardown } = await useFreshDatabase());
  server = await startHttpServer();
  admin = await signedInUser("customer_admin", "Service Co");
  stopTicks = await startScheduleWorkers();
});
after(async () => {
  stopTicks();
  if (agent && agent.exitCode === null) agent.kill("SIGKILL");
  await server.close();
  await teardown();
});

const enrolledMachine = async () =>
  (await api.get(`${V1}/machines/enrolled`, { token: admin.token })).body.results[0] as
    { id: number; agent: { status: string } } | undefined;

/** The schedule's newest run that created a job, once that job has ended. */
async function endedRunJob(scheduleId: number, notId?: string) {
  const s = (await api.get(`${V1}/schedules/${scheduleId}`, { token: admin.token })).body;
  const run = s.runs.find((r: { job: { id: string } | null }) => r.job && r.job.id !== notId);
  if (!run) return null;
  const job = (await api.get(`${V1}/jobs/${run.job.id}`, { token: admin.token })).body;
  return ["completed", "completed_with_warnings", "failed", "aborted"].includes(job.state) ? job : null;
}

test("a service agent runs a scheduled job within one tick and survives a server restart", async () => {
  const token = (await api.post(`${V1}/enrollment-tokens`, { token: admin.token, body: { name: "svc" } })).body.token;
  const runner = fixtureQuickMarkRunner(fs.mkdtempSync(path.join(os.tmpdir(), "svc-runner-")));
  agent = startAgent(runner, { BENCHBOARD_ENROLL_TOKEN: token });
  const machine = await waitFor(
    async () => {
      const m = await enrolledMachine();
      return m?.agent.status === "idle" && fs.existsSync(stateFile) ? m : null;
    },
    60_000,
    withOutput("the machine to enroll and wait for work"),
  );
  const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
  assert.equal(state.machine_id, machine.id);
  assert.equal(fs.statSync(stateFile).mode & 0o777, 0o600, "the credential is readable by its owner only");
  assert.ok(!ps(agent.pid!).includes(token), "the enrollment token is not in the process list");

  const created = await api.post(`${V1}/schedules`, {
    token: admin.token,
    body: {
      name: "every-3s",
      cron: `*/${CRON_PERIOD_S} * * * * *`,
      benchmarks: ["quick_mark"],
      target: { machine_ids: [machine.id] },
    },
  });
  assert.equal(created.status, 201, created.text);
  const scheduleId = created.body.id as number;

  const first = await waitFor(() => endedRunJob(scheduleId), 60_000, withOutput("the first scheduled job to end"));
  assert.equal(first.state, "completed", JSON.stringify(first));
  assert.ok(first.tags.includes("schedule:every-3s"));
  const db = await getDb();
  const row = await db.job.findUniqueOrThrow({
    where: { id: BigInt(first.id) },
    include: { tasks: true, targets: true },
  });
  assert.equal(row.origin, "schedule");
  assert.deepEqual(
    row.targets.map((t) => t.machineId),
    [machine.id],
  );
  assert.equal(row.tasks.length, 1);
  assert.equal(row.tasks[0].machineUuid, "svc-node-1");
  const pickupMs = receivedAt.get(first.id)! - row.createdAt.getTime();
  assert.ok(pickupMs < CRON_PERIOD_S * 1000, `picked up ${pickupMs} ms after the tick created it: within one tick`);
  const listed = await api.get(`${V1}/jobs?tags=schedule:every-3s`, { token: admin.token });
  assert.ok(
    listed.body.results.some((j: { id: string }) => j.id === first.id),
    "listed as an ordinary job",
  );

  // Stop the server with the agent connected; it must keep trying and come back by itself.
  await api.patch(`${V1}/schedules/${scheduleId}`, { token: admin.token, body: { paused: true } });
  const port = server.port;
  await server.close();
  await waitFor(async () => /unreachable/.test(output), 30_000, withOutput("the agent to notice the server is gone"));
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(agent.exitCode, null, `the agent is still running\n${output}`);
  server = await startHttpServer(port);
  await waitFor(async () => /reconnected/.test(output), 90_000, withOutput("the agent to reconnect"));

  const resumed = await api.patch(`${V1}/schedules/${scheduleId}`, { token: admin.token, body: { paused: false } });
  assert.equal(resumed.status, 200, resumed.text);
  const second = await waitFor(
    () => endedRunJob(scheduleId, first.id),
    60_000,
    withOutput("a scheduled job after the restart to end"),
  );
  assert.equal(second.state, "completed", JSON.stringify(second));

  await api.patch(`${V1}/schedules/${scheduleId}`, { token: admin.token, body: { paused: true } });
  await waitFor(
    async () => (await enrolledMachine())?.agent.status === "idle",
    60_000,
    withOutput("the agent to be idle"),
  );
  agent.kill("SIGTERM");
  assert.equal(await exited(agent), 0, output);

  // Started again, it uses the credential in its state file: no token needed, same machine.
  output = "";
  agent = startAgent(runner, {});
  await waitFor(async () => /waiting for work/.test(output), 60_000, withOutput("the agent to wait for work again"));
  assert.doesNotMatch(output, /Enrolled as/);
  // An admin removes the machine: its credential is refused and the agent ends with status 4.
  const removed = await api.delete(`${V1}/machines/${machine.id}/enrollment`, { token: admin.token });
  assert.equal(removed.status, 200, removed.text);
  assert.equal(await exited(agent), 4, output);
  assert.match(output, /refused this machine's credential/);
});

const exited = (p: ChildProcess) =>
  new Promise<number | null>((r) => (p.exitCode !== null ? r(p.exitCode) : p.once("exit", (c) => r(c))));

/** The real agent CLI in service mode, as a child process with a stand-in nvidia-smi on PATH. */
function startAgent(runner: string, extraEnv: Record<string, string>): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "agent/cli.ts",
      "service",
      "--url",
      server.url,
      "--state-file",
      stateFile,
      "--machine-id",
      "svc-node-1",
      "--runner",
      `quick_mark=${runner}`,
    ],
    {
      // The token comes through the environment, out of the process list.
      env: { ...process.env, PATH: `${smiBin}${path.delimiter}${process.env.PATH}`, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  return child;
}

/** The command lines of a process and its children, as `ps` shows them to any user. */
function ps(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}
