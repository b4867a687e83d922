import { Badge } from "@/components/ui/badge";
import type { PerformanceNode } from "@/lib/client/types";
import { KEY_METRICS } from "@/lib/performance/metrics";

/**
 * Why nodes are flagged, in words: the slow GPUs inside a node (scored one by one) and the
 * key metrics regressed against the machine's own history, each with the API's reason.
 */
export function VerdictNotes({ nodes }: { nodes: PerformanceNode[] | undefined }) {
  const flagged = (nodes ?? []).filter((n) => (n.slow_gpus?.length ?? 0) > 0 || (n.regressed_metrics?.length ?? 0) > 0);
  if (!flagged.length) return null;
  return (
    <ul className="verdict-notes" data-testid="verdict-notes">
      {flagged.map((n) => (
        <li key={n.task_id} data-machine={n.machine_uuid}>
          <span className="mono">{n.machine_uuid}</span>{" "}
          {(n.slow_gpus ?? []).map((g) => (
            <Badge key={g} tone="danger">
              {g}
            </Badge>
          ))}
          {KEY_METRICS.filter((m) => n.regressed_metrics?.includes(m)).map((m) => (
            <span key={m} data-regressed={m}>
              <Badge tone="warning">regressed</Badge> <span className="small">{n.metrics?.[m]?.reason}</span>
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}
