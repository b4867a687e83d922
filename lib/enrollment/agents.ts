import type { Db } from "../db/client";
import type { Job, Machine, Prisma } from "../generated/prisma/client";
import { ForbiddenError, UnauthorizedError } from "../api/errors";
import { env } from "../config/env";
import { clock } from "../util/clock";
import { currentJobView } from "../agent/service";
import { WAITING_STATES } from "../jobs/states";
import type { EnrollMachineInput } from "./schemas";
import { ENROLLMENT_TOKEN_PREFIX, hashSecret, MACHINE_CREDENTIAL_PREFIX, newSecret } from "./secrets";
import { agentStatusOf, offlineAfterMs } from "./status";

/** How often a waiting long-poll looks for a job aimed at its machine. */
const WORK_CHECK_MS = 1000;

/**
 * POST /agents/enroll: a service agent registers its machine with the customer of the
 * enrollment token it presents, and gets a credential of its own (shown once) for every later
 * call. Enrolling again (e.g. after its state file was lost) issues a new credential and the
 * old one stops working. A revoked token enrolls nothing (403), an unknown one is a 401.
 */
export async function enrollMachine(db: Db, token: string | null, input: EnrollMachineInput) {
  const row =
    token?.startsWith(ENROLLMENT_TOKEN_PREFIX) && token.length < 200
      ? await db.enrollmentToken.findUnique({ where: { tokenHash: hashSecret(token) } })
      : null;
  if (!row) throw new UnauthorizedError("Invalid enrollment token");
  if (row.revokedAt) throw new ForbiddenError("This enrollment token has been revoked; ask an admin for a new one");
  const now = clock.now();
  const credential = newSecret(MACHINE_CREDENTIAL_PREFIX);
  const inventory = {
    ...(input.inventory ?? {}),
    hostname: input.hostname ?? null,
    gpu_memory_gb: input.gpu_memory_gb ?? null,
  } as Prisma.InputJsonValue;
  const enrolled = {
    hostname: input.hostname ?? null,
    gpuModel: input.gpu_model,
    gpuCount: input.gpu_count,
    inventory,
    enrolledAt: now,
    credentialHash: hashSecret(credential),
    enrollmentTokenId: row.id,
    agentState: "idle",
    agentSeenAt: now,
    agentVersion: input.agent_version ?? null,
  };
  const machine = await db.$transaction(async (tx) => {
    await tx.enrollmentToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    return tx.machine.upsert({
      where: { customerId_uuid: { customerId: row.customerId, uuid: input.machine_uuid } },
      create: { customerId: row.customerId, uuid: input.machine_uuid, firstSeenAt: now, lastSeenAt: now, ...enrolled },
      update: enrolled,
    });
  });
  return {
    machine_id: machine.id,
    machine_uuid: machine.uuid,
    machine_credential: credential,
    poll_wait_seconds: env("AGENT_POLL_WAIT_SECONDS"),
    offline_after_seconds: offlineAfterMs() / 1000,
  };
}

async function touch(db: Db, machineId: number, state: "idle" | "busy") {
  await db.machine.update({ where: { id: machineId }, data: { agentState: state, agentSeenAt: clock.now() } });
}

/** The oldest job aimed at this machine that is still waiting for nodes and that it has not joined. */
async function nextTargetedJob(db: Db, machine: Machine): Promise<Job | null> {
  return db.job.findFirst({
    where: {
      customerId: machine.customerId,
      deletedAt: null,
      state: { in: [...WAITING_STATES] },
      expiresAt: { gt: clock.now() },
      targets: { some: { machineId: machine.id } },
      tasks: { none: { machineUuid: machine.uuid } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * GET /agents/work: the long-poll. Marks the machine idle and seen (the poll is its
 * heartbeat), then answers as soon as a job aimed at it appears — with the job's token, so the
 * agent runs it through the ordinary job-token protocol — or `{job: null}` after `wait`
 * seconds. Handing out a job marks the machine busy.
 */
export async function waitForWork(db: Db, machine: Machine, waitSeconds: number | undefined, signal?: AbortSignal) {
  const wait = Math.min(waitSeconds ?? env("AGENT_POLL_WAIT_SECONDS"), env("AGENT_POLL_WAIT_SECONDS"));
  const deadline = Date.now() + wait * 1000;
  await touch(db, machine.id, "idle");
  for (;;) {
    const job = await nextTargetedJob(db, machine);
    if (job) {
      await touch(db, machine.id, "busy");
      return { job: { ...currentJobView(job), token: job.token }, status: "busy" as const };
    }
    if (Date.now() >= deadline || signal?.aborted) break;
    await sleep(Math.min(WORK_CHECK_MS, deadline - Date.now()), signal);
  }
  // The answer is a heartbeat too: a long wait must not let the machine look offline.
  await touch(db, machine.id, "idle");
  return { job: null, status: "idle" as const };
}

/** POST /agents/heartbeat: a busy agent says it is still there (and idle again when done). */
export async function agentHeartbeat(db: Db, machine: Machine, state: "idle" | "busy") {
  await touch(db, machine.id, state);
  const fresh = await db.machine.findUniqueOrThrow({ where: { id: machine.id } });
  return { status: agentStatusOf(fresh, clock.now()) };
}
