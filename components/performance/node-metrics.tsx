import { Badge } from "@/components/ui/badge";
import type { PerformanceNode } from "@/lib/client/types";
import { KEY_METRICS, type QuickmarkMetric } from "@/lib/performance/metrics";
import { METRIC_LABELS, formatNumber, formatPercent } from "./metric-labels";

/** One node's key metrics against their references: value, reference, ratio (with bar), threshold. */
export function NodeMetrics({ node }: { node: PerformanceNode }) {
  const threshold = node.threshold ?? null;
  const metrics = node.metrics ?? {};
  // Key metrics first (they decide the verdict), then any other metric that was scored.
  const rows = [
    ...KEY_METRICS,
    ...(Object.keys(metrics) as QuickmarkMetric[]).filter(
      (m) => !KEY_METRICS.includes(m) && metrics[m]?.status !== "unknown",
    ),
  ].filter((m) => metrics[m]);
  return (
    <div className="perf-node" data-machine={node.machine_uuid}>
      <h3>
        <span className="mono">{node.machine_uuid}</span>
        <span className="muted">
          {node.gpu_model ?? "unknown GPU"}
          {node.gpu_count ? ` × ${node.gpu_count}` : ""}
        </span>
        <Badge tone="danger">
          {(node.underperforming_metrics ?? []).map((m) => METRIC_LABELS[m]?.label ?? m).join(", ") ||
            "underperforming"}{" "}
          below threshold
        </Badge>
      </h3>
      {node.slow_gpus?.length ? (
        // A slow GPU can fail a metric the node's mean still passes: name it.
        <ul className="slow-gpus" data-testid="slow-gpus">
          {node.slow_gpus.map((g) => (
            <li key={g}>{g}</li>
          ))}
        </ul>
      ) : null}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>Metric</th>
              <th className="num">Value</th>
              <th className="num">Reference</th>
              <th>Ratio</th>
              <th className="num">Threshold</th>
              <th>Reference source</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => {
              const s = metrics[m]!;
              const low = s.status === "underperforming";
              const { label, unit } = METRIC_LABELS[m] ?? { label: m, unit: "" };
              return (
                <tr key={m} data-metric={m} data-status={s.status}>
                  <td>
                    {label} <span className="muted small">{unit}</span>
                  </td>
                  <td className="num">{formatNumber(s.value)}</td>
                  <td className="num">{formatNumber(s.reference)}</td>
                  <td>
                    <span className="ratio-bar" aria-hidden="true">
                      <span
                        className={low ? "low" : undefined}
                        style={{ width: `${Math.min(100, (s.ratio ?? 0) * 100)}%` }}
                      />
                      {threshold !== null && <i style={{ left: `${threshold * 100}%` }} />}
                    </span>
                    <span style={{ color: low ? "var(--danger)" : undefined, fontWeight: low ? 600 : undefined }}>
                      {formatPercent(s.ratio)}
                    </span>
                  </td>
                  <td className="num">{KEY_METRICS.includes(m) ? formatPercent(threshold) : "—"}</td>
                  <td className="muted small">{s.source?.replace("_", " ") ?? "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
