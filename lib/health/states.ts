/**
 * A machine's health (docs/architecture.md, "Machine health"): healthy until a confirmed
 * verdict makes it suspect; an admin then quarantines it (out of the fleet: the drain list) or
 * clears it. Quarantine may also be applied directly from any state; a cleared machine is
 * healthy again and a later confirmed verdict makes it suspect anew.
 */
export const HEALTH_STATES = ["healthy", "suspect", "quarantined", "cleared"] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** What an admin may set: quarantine (from any other state) or clear (a suspect or quarantined machine). */
export const ADMIN_HEALTH_STATES = ["quarantined", "cleared"] as const;
export type AdminHealthState = (typeof ADMIN_HEALTH_STATES)[number];

/** Entries of a machine's health history: a state change, or a confirmation that changed nothing. */
export type HealthEventKind = HealthState | "transient" | "inconclusive";

export function isHealthState(v: string): v is HealthState {
  return (HEALTH_STATES as readonly string[]).includes(v);
}

/** Why an admin's change is refused, or null when it is allowed. */
export function adminTransitionProblem(from: HealthState, to: AdminHealthState): string | null {
  if (from === to) return `The machine is already ${to}`;
  if (to === "cleared" && from !== "suspect" && from !== "quarantined")
    return `Only a suspect or quarantined machine can be cleared; this one is ${from}`;
  return null;
}

/** States in which a confirmed verdict makes the machine suspect (a quarantined one stays out). */
export const MAY_BECOME_SUSPECT: readonly HealthState[] = ["healthy", "cleared"];
