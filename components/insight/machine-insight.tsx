"use client";
import { useState } from "react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/time";
import { apiFetch } from "@/lib/client/api-fetch";
import { createAnnotationSchema } from "@/lib/fleet/schemas";
import type { MachineDetail } from "@/components/fleet/use-fleet";

const MetricStoryChart = dynamic(() => import("./metric-story-chart"), { ssr: false });

const LABELS: Record<string, string> = { bf16_tflops: "BF16", fp16_tflops: "FP16", memory_bandwidth_gbs: "Memory BW" };

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
      <MetricStoryChart history={machine.history} />
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
                    <Badge tone="warning">Regressed: {LABELS[m] ?? m}</Badge>{" "}
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
      return qc.invalidateQueries({ queryKey: ["machine"] });
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
          {machine.annotations.map((a) => (
            <li key={a.id} data-testid="annotation">
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
