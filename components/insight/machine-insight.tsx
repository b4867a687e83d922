"use client";
import { useState } from "react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/time";
import { TableScroll } from "@/components/ui/table-scroll";
import { apiFetch } from "@/lib/client/api-fetch";
import { queryKeys } from "@/lib/client/query-keys";
import { createAnnotationSchema } from "@/lib/fleet/schemas";
import type { MachineDetail } from "@/components/fleet/use-fleet";
import { formatNumber, METRIC_LABELS } from "@/components/performance/metric-labels";
import { KEY_METRICS, type QuickmarkMetric } from "@/lib/performance/metrics";

const MetricStoryCharts = dynamic(() => import("./metric-story-chart"), { ssr: false });

const labelOf = (m: string) => METRIC_LABELS[m as QuickmarkMetric]?.label ?? m;

/**
 * The story of a machine: runs that regressed against its own baseline or had a slow GPU
 * (with the baseline and fleet median behind the mark), and its annotations, with a form to
 * add one that may reset the baseline.
 */
export function MachineInsight({ machine }: { machine: MachineDetail }) {
  const marks = machine.history.filter((h) => h.regressed_metrics.length > 0 || h.slow_gpus.length > 0).reverse();
  return (
    <section className="section" aria-labelledby="insight-h">
      <h2 id="insight-h">Regressions and notes</h2>
      <MetricStoryCharts history={machine.history} annotations={machine.annotations} />
      <LatestReferences machine={machine} />
      {marks.length === 0 ? (
        <p className="muted">
          No run regressed against this machine&apos;s own baseline and no GPU fell below its fleet threshold.
        </p>
      ) : (
        <ul className="stack" data-testid="regression-marks">
          {marks.map((h) => (
            <li key={h.task_id} data-testid="regression-mark">
              <RelativeTime iso={h.date} /> <Link href={`/jobs/${h.job_id}`}>{h.job_name}</Link>{" "}
              {h.regressed_metrics.map((m) => {
                const f = h.metrics[m];
                return (
                  <span key={m}>
                    <Badge tone="warning">Regressed: {labelOf(m)}</Badge>{" "}
                    <span className="small">
                      {f?.value} vs own baseline {f?.baseline ?? "—"}
                      {f?.fleet_median != null ? ` (fleet median ${f.fleet_median})` : ""}
                    </span>{" "}
                  </span>
                );
              })}
              {h.slow_gpus.map((g) => (
                <Badge key={g} tone="danger">
                  {g}
                </Badge>
              ))}
            </li>
          ))}
        </ul>
      )}
      <Annotations machine={machine} />
    </section>
  );
}

/**
 * The charts' lines in numbers, for each key metric's latest run: the fleet band it was judged
 * in and the machine's own baseline with the limit under which a run is flagged.
 */
function LatestReferences({ machine }: { machine: MachineDetail }) {
  const rows = KEY_METRICS.flatMap((m) => {
    const run = machine.history.findLast((h) => h.metrics[m]);
    return run ? [{ metric: m, f: run.metrics[m] }] : [];
  });
  if (!rows.length) return null;
  return (
    <TableScroll label="Latest run against its references">
      <table className="table" aria-label="Latest run against its references">
        <thead>
          <tr>
            <th>Metric (latest run)</th>
            <th className="num">Value</th>
            <th className="num">Fleet median</th>
            <th className="num">Fleet band (± 3 σ)</th>
            <th className="num">Own baseline</th>
            <th className="num">Regression limit</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ metric, f }) => (
            <tr key={metric} data-metric={metric}>
              <td>
                {labelOf(metric)} <span className="muted small">{METRIC_LABELS[metric].unit}</span>
              </td>
              <td className="num">{formatNumber(f.value)}</td>
              <td className="num" data-testid="fleet-median">
                {formatNumber(f.fleet_median)}
              </td>
              <td className="num" data-testid="fleet-band">
                {f.fleet_band ? `${formatNumber(f.fleet_band.low)} – ${formatNumber(f.fleet_band.high)}` : "—"}
              </td>
              <td className="num" data-testid="own-baseline">
                {f.baseline === null ? (
                  <span className="muted">too few runs</span>
                ) : (
                  <>
                    {formatNumber(f.baseline)} <span className="muted small">({f.baseline_runs} runs)</span>
                  </>
                )}
              </td>
              <td className="num" data-testid="regression-limit">
                {formatNumber(f.baseline_limit)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function Annotations({ machine }: { machine: MachineDetail }) {
  const qc = useQueryClient();
  const [text, setText] = useState("");
  const [reset, setReset] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (body: { text: string; resets_baseline: boolean }) =>
      apiFetch(`/machines/${machine.id}/annotations`, { method: "POST", body }),
    onSuccess: () => {
      setText("");
      setReset(false);
      return qc.invalidateQueries({ queryKey: queryKeys.machines.details });
    },
    onError: (e) => setError((e as Error).message),
  });
  function submit(e: React.FormEvent) {
    e.preventDefault();
    const parsed = createAnnotationSchema.safeParse({ text, resets_baseline: reset });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "Invalid note");
    setError(null);
    add.mutate(parsed.data);
  }
  return (
    <div className="stack">
      <h3>Annotations</h3>
      {machine.annotations.length === 0 ? (
        <p className="muted small">No annotations yet.</p>
      ) : (
        <ul data-testid="annotations">
          {machine.annotations.map((a, i) => (
            <li key={a.id} data-testid="annotation">
              <span className="mono small muted" title="Its line on the charts">
                A{i + 1}
              </span>{" "}
              <RelativeTime iso={a.created_at} /> {a.text} <span className="muted small">— {a.author}</span>{" "}
              {a.resets_baseline && <Badge tone="info">baseline reset</Badge>}
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={submit} aria-label="Add annotation">
        <input
          className="input"
          aria-label="Annotation"
          placeholder="e.g. replaced GPU 3"
          value={text}
          maxLength={500}
          onChange={(e) => setText(e.target.value)}
        />
        <label className="row small">
          <input type="checkbox" checked={reset} onChange={(e) => setReset(e.target.checked)} /> Reset baseline
        </label>
        <Button type="submit" size="sm" variant="primary" loading={add.isPending}>
          Annotate
        </Button>
        {error && (
          <span role="alert" className="field-error">
            {error}
          </span>
        )}
      </form>
    </div>
  );
}
