import type { JobState } from "@/lib/jobs/states";

type Tone = "neutral" | "success" | "danger" | "warning" | "info" | "accent";

export function Badge({
  tone = "neutral",
  dot = false,
  live = false,
  children,
  title,
}: {
  tone?: Tone;
  dot?: boolean;
  live?: boolean;
  children: React.ReactNode;
  title?: string;
}) {
  const cls = ["badge", tone !== "neutral" && `badge-${tone}`, live && "badge-live"].filter(Boolean).join(" ");
  return (
    <span className={cls} title={title}>
      {dot && <span className="dot" aria-hidden="true" />}
      {children}
    </span>
  );
}

const STATE_LOOK: Record<JobState, { tone: Tone; label: string; live?: boolean }> = {
  created: { tone: "neutral", label: "Created" },
  starting: { tone: "info", label: "Starting", live: true },
  running: { tone: "accent", label: "Running", live: true },
  completed: { tone: "success", label: "Completed" },
  completed_with_warnings: { tone: "warning", label: "Completed with warnings" },
  failed: { tone: "danger", label: "Failed" },
  aborted: { tone: "neutral", label: "Aborted" },
};

export const stateLabel = (state: string) => STATE_LOOK[state as JobState]?.label ?? state;

/** A job's state as a coloured pill; starting/running pulse. `data-state` lets tests read it. */
export function StateBadge({ state }: { state: string }) {
  const look = STATE_LOOK[state as JobState] ?? { tone: "neutral" as Tone, label: state };
  return (
    <span data-state={state} style={{ display: "contents" }}>
      <Badge tone={look.tone} dot live={look.live}>
        {look.label}
      </Badge>
    </span>
  );
}

const PERF_LOOK: Record<string, { tone: Tone; label: string }> = {
  ok: { tone: "success", label: "OK" },
  underperforming: { tone: "danger", label: "Underperforming" },
  regressed: { tone: "warning", label: "Regressed" },
  unknown: { tone: "neutral", label: "No data" },
};

export function PerformanceBadge({ status }: { status: string | null | undefined }) {
  const look = PERF_LOOK[status ?? "unknown"] ?? PERF_LOOK.unknown;
  return <Badge tone={look.tone}>{look.label}</Badge>;
}
