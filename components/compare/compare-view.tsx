"use client";
import Link from "next/link";
import { Badge, PerformanceBadge } from "@/components/ui/badge";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { formatNumber } from "@/components/performance/metric-labels";
import type { CompareResponse } from "@/lib/compare/queries";
import { useCompare } from "./use-compare";
import { TableScroll } from "@/components/ui/table-scroll";

type Metric = CompareResponse["metrics"][number];

/** A delta is good or bad only relative to the metric's direction; beyond-noise ones are marked. */
function Delta({ m, k }: { m: Metric; k: number }) {
  const d = m.delta_pct[k];
  if (d === null) return null;
  const worse = m.higher_is_better === null ? false : m.higher_is_better ? d < 0 : d > 0;
  const beyond = m.beyond_noise[k];
  return (
    <span className="small" data-delta={d} data-beyond-noise={beyond === null ? "unknown" : String(beyond)}>
      {" "}
      <span style={{ color: beyond && worse ? "var(--danger)" : undefined, fontWeight: beyond ? 600 : undefined }}>
        {d > 0 ? "+" : ""}
        {d.toFixed(1)} %
      </span>
      {beyond === true && <Badge tone={worse ? "danger" : "success"}>beyond noise</Badge>}
      {beyond === false && <span className="muted"> within noise</span>}
    </span>
  );
}

export function CompareView({ jobs, tasks }: { jobs?: string; tasks?: string }) {
  const query = jobs ? { jobs } : tasks ? { tasks } : {};
  const q = useCompare(query);
  if (q.isError) return <ErrorState error={q.error} title="Cannot compare these" />;
  if (!q.data) return <LoadingState label="Comparing…" />;
  const { items, metrics, config } = q.data;
  return (
    <div className="stack" data-testid="compare">
      <section className="section" aria-labelledby="cmp-metrics-h">
        <h2 id="cmp-metrics-h">Metrics</h2>
        <TableScroll label="Metrics compared">
          <table className="table" aria-label="Metrics compared">
            <thead>
              <tr>
                <th>Metric</th>
                {items.map((it, k) => (
                  <th key={it.id} className="num">
                    <Link href={`/jobs/${it.job_id}`}>{it.label}</Link>{" "}
                    {k === 0 && <span className="muted small">(baseline)</span>}{" "}
                    <PerformanceBadge status={it.performance_status} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {metrics.map((m) => (
                <tr key={m.metric} data-metric={m.metric}>
                  <td>
                    {m.display_name} <span className="muted small">{m.unit ?? ""}</span>
                  </td>
                  {m.values.map((v, k) => (
                    <td key={k} className="num">
                      {formatNumber(v)}
                      <Delta m={m} k={k} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <p className="muted small">
          Noise: 3 σ of the first item&apos;s GPU model&apos;s fleet band (σ = 1.4826 × MAD).
        </p>
      </section>
      <section className="section" aria-labelledby="cmp-config-h">
        <h2 id="cmp-config-h">Configuration</h2>
        <TableScroll label="Configuration compared">
          <table className="table" aria-label="Configuration compared">
            <tbody>
              {config.map((c) => (
                <tr key={c.field} data-field={c.field} data-differs={String(c.differs)}>
                  <td>
                    {c.field.replaceAll("_", " ")} {c.differs && <Badge tone="warning">differs</Badge>}
                  </td>
                  {c.values.map((v, k) => (
                    <td key={k} className="mono" style={{ fontWeight: c.differs ? 600 : undefined }}>
                      {v ?? <span className="muted">—</span>}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>
    </div>
  );
}
