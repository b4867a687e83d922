import { env } from "../config/env";
import type { AgentStatus } from "./schemas";

/** The enrolled-machine columns a status is computed from. */
export interface AgentColumns {
  enrolledAt: Date | null;
  agentState: string | null;
  agentSeenAt: Date | null;
}

export function offlineAfterMs(): number {
  return env("AGENT_OFFLINE_AFTER_SECONDS") * 1000;
}

/**
 * A service agent's live status: what it last reported (idle, busy), or offline once it has
 * been silent past AGENT_OFFLINE_AFTER_SECONDS — its long-poll for work and its heartbeats
 * while busy are what keep it fresh. null: the machine is not enrolled.
 */
export function agentStatusOf(m: AgentColumns, now: Date): AgentStatus | null {
  if (!m.enrolledAt) return null;
  if (!m.agentSeenAt || now.getTime() - m.agentSeenAt.getTime() > offlineAfterMs()) return "offline";
  return m.agentState === "busy" ? "busy" : "idle";
}

/** The `agent` object the fleet endpoints add to an enrolled machine (null when not enrolled). */
export function agentView(m: AgentColumns & { agentVersion?: string | null; labels?: string[] }, now: Date) {
  const status = agentStatusOf(m, now);
  if (!status) return null;
  return {
    status,
    enrolled_at: m.enrolledAt!.toISOString(),
    last_seen_at: m.agentSeenAt?.toISOString() ?? null,
    version: m.agentVersion ?? null,
  };
}
