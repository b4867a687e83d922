import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { NotFoundError } from "../api/errors";
import { clock } from "../util/clock";
import type { Machine } from "../generated/prisma/client";
import type { MachineLabelsInput } from "./schemas";
import { agentView } from "./status";
import { fleetAdminCustomerWhere } from "./tokens";

type EnrolledRow = Machine & { customer: { name: string }; enrollmentToken: { name: string } | null };

export function serializeEnrolledMachine(m: EnrolledRow, now = clock.now()) {
  return {
    id: m.id,
    machine_uuid: m.uuid,
    hostname: m.hostname,
    customer: m.customer.name,
    gpu_model: m.gpuModel,
    gpu_count: m.gpuCount,
    labels: m.labels,
    enrollment_token: m.enrollmentToken?.name ?? null,
    agent: agentView(m, now),
  };
}

const include = { customer: { select: { name: true } }, enrollmentToken: { select: { name: true } } } as const;

/** GET /machines/enrolled: every enrolled machine the caller administers, with its live status. */
export async function listEnrolledMachines(db: Db, caller: Caller) {
  const rows = await db.machine.findMany({
    where: { ...fleetAdminCustomerWhere(caller), enrolledAt: { not: null } },
    include,
    orderBy: [{ hostname: "asc" }, { id: "asc" }],
  });
  const now = clock.now();
  return { results: rows.map((m) => serializeEnrolledMachine(m, now)) };
}

async function administeredMachine(db: Db, caller: Caller, id: number) {
  const m = await db.machine.findFirst({ where: { id, ...fleetAdminCustomerWhere(caller) } });
  if (!m) throw new NotFoundError(`Machine with id ${id} not found`);
  return m;
}

/** PUT /machines/{id}/labels: replaces the machine's labels (what schedules' target.tags match). */
export async function setMachineLabels(db: Db, caller: Caller, id: number, input: MachineLabelsInput) {
  await administeredMachine(db, caller, id);
  const m = await db.machine.update({ where: { id }, data: { labels: input.labels }, include });
  return serializeEnrolledMachine(m);
}

/**
 * DELETE /machines/{id}/enrollment: the machine leaves service mode. Its credential stops
 * working at once (its agent's next call is refused and it exits) and schedules no longer aim
 * at it. Its history stays; enrolling again (a new token) brings it back.
 */
export async function removeEnrollment(db: Db, caller: Caller, id: number) {
  if (!(await administeredMachine(db, caller, id)).enrolledAt) throw new NotFoundError(`Machine ${id} is not enrolled`);
  const m = await db.machine.update({
    where: { id },
    data: { enrolledAt: null, credentialHash: null, agentState: null, agentSeenAt: null, enrollmentTokenId: null },
    include,
  });
  return serializeEnrolledMachine(m);
}
