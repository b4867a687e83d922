import { Badge } from "@/components/ui/badge";

const LOOK = {
  idle: { tone: "success", label: "Idle", hint: "Enrolled; its service agent is waiting for work" },
  busy: { tone: "accent", label: "Busy", hint: "Enrolled; its service agent is running a job" },
  offline: { tone: "danger", label: "Offline", hint: "Enrolled; its service agent missed its heartbeat" },
} as const;

/** An enrolled machine's live service-agent status; nothing for machines that are not enrolled. */
export function AgentStatusBadge({ agent }: { agent: { status: string; last_seen_at: string | null } | null }) {
  if (!agent) return null;
  const look = LOOK[agent.status as keyof typeof LOOK] ?? LOOK.offline;
  return (
    <span data-testid="agent-status" data-status={agent.status}>
      <Badge tone={look.tone} dot live={agent.status === "busy"} title={look.hint}>
        Agent: {look.label}
      </Badge>
    </span>
  );
}
