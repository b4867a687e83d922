import type { Db } from "../db/client";
import type { Caller } from "../auth/caller";
import { ConflictError, ForbiddenError } from "../api/errors";
import { allows, ownershipOf } from "../auth/permissions";
import { readHealthEvidence } from "../db/json-columns";
import { findVisibleMachine } from "../fleet/queries";
import { clock } from "../util/clock";
import { announceQuarantined } from "./announce";
import { machineHealth } from "./queries";
import type { SetMachineHealthInput } from "./schemas";
import { adminTransitionProblem } from "./states";
import { lockMachine, recordHealthEvent } from "./transitions";

/** The permission table's `manage_fleet` for one machine: a machine the caller cannot see is 404, one they see but may not manage 403. */
export function assertMayManageMachine(caller: Caller, machine: { customerId: number }) {
  if (!allows(caller.role, "manage_fleet", ownershipOf(caller, { customerId: machine.customerId, userId: null })))
    throw new ForbiddenError(`Permission denied: a ${caller.role} may not change a machine's health`);
}

/**
 * An admin quarantines a machine (from any other state; it joins the drain list and
 * node.quarantined is written) or clears a suspect or quarantined one, with a note.
 */
export async function setMachineHealth(db: Db, caller: Caller, machineId: number, input: SetMachineHealthInput) {
  const visible = await findVisibleMachine(db, caller, machineId);
  assertMayManageMachine(caller, visible);
  await db.$transaction(async (tx) => {
    const { machine, state } = await lockMachine(tx, machineId);
    const problem = adminTransitionProblem(state, input.state);
    if (problem) throw new ConflictError(problem, "INVALID_HEALTH_STATE");
    const evidence = readHealthEvidence(machine.healthEvidence);
    await tx.machine.update({
      where: { id: machineId },
      data: { healthState: input.state, healthChangedAt: clock.now(), healthNote: input.note },
    });
    await recordHealthEvent(tx, {
      machineId,
      kind: input.state,
      from: state,
      to: input.state,
      userId: caller.userId,
      note: input.note,
      evidence,
    });
    if (input.state === "quarantined")
      await announceQuarantined(
        tx,
        machine,
        { previous: state, note: input.note, by: { id: caller.userId, email: caller.email } },
        evidence,
      );
  });
  return machineHealth(db, await db.machine.findUniqueOrThrow({ where: { id: machineId } }));
}
