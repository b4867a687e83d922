import { Badge } from "@/components/ui/badge";

const LOOK: Record<string, { tone: "neutral" | "success" | "danger" | "warning" | "info"; label: string }> = {
  healthy: { tone: "neutral", label: "Healthy" },
  suspect: { tone: "warning", label: "Suspect" },
  quarantined: { tone: "danger", label: "Quarantined" },
  cleared: { tone: "success", label: "Cleared" },
};

export const healthLabel = (state: string) => LOOK[state]?.label ?? state;

/** A machine's health state (healthy, suspect, quarantined, cleared); `data-health` lets tests read it. */
export function HealthBadge({ state }: { state: string }) {
  const look = LOOK[state] ?? { tone: "neutral" as const, label: state };
  return (
    <span data-health={state} style={{ display: "contents" }}>
      <Badge tone={look.tone} dot={state !== "healthy"}>
        {look.label}
      </Badge>
    </span>
  );
}

/** A cost per day in the customer's price unit, or a dash. */
export function formatCost(perDay: number | null | undefined): string {
  return perDay === null || perDay === undefined ? "—" : `${perDay.toFixed(2)} / day`;
}
