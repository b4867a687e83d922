"use client";
import Link from "next/link";
import type { MachineDetail } from "@/components/fleet/use-fleet";
import type { NodeEvidence } from "@/lib/health/evidence";
import { RelativeTime } from "@/components/ui/time";
import { formatPercent } from "@/components/performance/metric-labels";
import { HealthActions } from "./health-actions";
import { formatCost, HealthBadge } from "./health-badge";

const KIND_LABEL: Record<string, string> = {
  suspect: "Suspect",
  quarantined: "Quarantined",
  cleared: "Cleared",
  healthy: "Healthy",
  transient: "Transient (re-run was fine)",
  inconclusive: "Inconclusive re-run",
};

function Run({ label, run }: { label: string; run: NodeEvidence }) {
  return (
    <li>
      {label}: <Link href={`/jobs/${run.job_id}`}>{run.job_name}</Link> (node {run.task_id}) — {run.verdict}
      {run.limiting_metric && (
        <>
          , {run.limiting_metric.metric} at {formatPercent(run.limiting_metric.ratio)} of its reference
        </>
      )}
    </li>
  );
}

/** A machine's health on its page: state, note, the evidence of both runs, its cost, and every change so far. */
export function MachineHealthPanel({ machine, canManage }: { machine: MachineDetail; canManage: boolean }) {
  const h = machine.health;
  return (
    <section className="section" aria-labelledby="health-h" data-testid="machine-health">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="health-h">
          Health <HealthBadge state={h.state} />
        </h2>
        {canManage && (
          <HealthActions machine={{ id: machine.id, name: machine.hostname ?? machine.machine_uuid, state: h.state }} />
        )}
      </div>
      {h.note && <p>{h.note}</p>}
      {h.evidence && (
        <ul className="small" aria-label="Evidence">
          <Run label="Flagged run" run={h.evidence.original} />
          {h.evidence.confirmation && <Run label="Confirmation re-run" run={h.evidence.confirmation} />}
        </ul>
      )}
      {h.capacity_lost_per_day !== null && (
        <p className="small">
          Capacity lost: <strong>{formatCost(h.capacity_lost_per_day)}</strong> (at {h.price_per_gpu_hour} per GPU-hour)
        </p>
      )}
      {h.history.length === 0 ? (
        <p className="muted small">No health changes yet.</p>
      ) : (
        <ol className="small" data-testid="health-history">
          {h.history.map((e) => (
            <li key={e.id}>
              <RelativeTime iso={e.at} /> — <strong>{KIND_LABEL[e.kind] ?? e.kind}</strong>
              {e.from_state !== e.to_state && ` (${e.from_state} → ${e.to_state})`} by {e.by ?? "Benchboard"}
              {e.note && `: ${e.note}`}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
