"use client";
import { useEffect, useState } from "react";
import type { JobDetail } from "@/lib/client/types";
import { StateBadge } from "@/components/ui/badge";
import { taskReportUrl } from "@/lib/reports/urls";
import { NodeInventory } from "@/components/common/node-inventory";
import { CompareAction } from "@/components/compare/compare-action";
import { Button } from "@/components/ui/button";

type Task = JobDetail["tasks"][number];

function elapsed(start: string | null, end: string | null, now: number): string {
  if (!start) return "—";
  const s = Math.max(0, Math.round(((end ? new Date(end).getTime() : now) - new Date(start).getTime()) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${s}s`;
}

/** Share of the job's benchmark sequence this node has reported. */
function progressOf(task: Task, steps: number): number {
  if (["completed", "failed"].includes(task.state)) return 100;
  return steps ? Math.round((Object.keys(task.benchmark_results ?? {}).length / steps) * 100) : 0;
}

export function NodesTable({ job }: { job: JobDetail }) {
  const [now, setNow] = useState(() => Date.now());
  // Nodes picked for /compare?tasks=…; only a job with two nodes or more has anything to compare.
  const [picked, setPicked] = useState<Set<string>>(() => new Set());
  const selectable = job.tasks.length >= 2;
  const pick = (id: string, on: boolean) =>
    setPicked((cur) => {
      const next = new Set(cur);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (!job.tasks.length)
    return <p className="muted">No node has joined yet. Run the agent command above on each node.</p>;
  const steps = job.benchmark_sequence.length;
  const pickedTasks = job.tasks.filter((t) => picked.has(t.id));
  return (
    <>
      {pickedTasks.length > 0 && (
        <div className="bulk-bar" role="region" aria-label="Node actions">
          <strong>{pickedTasks.length} selected</strong>
          <CompareAction kind="tasks" items={pickedTasks} />
          <Button variant="ghost" size="sm" onClick={() => setPicked(new Set())}>
            Clear selection
          </Button>
        </div>
      )}
      <div className="table-wrap">
        <table className="table" aria-label="Nodes">
          <thead>
            <tr>
              {selectable && (
                <th style={{ width: 32 }}>
                  <span className="sr-only">Compare</span>
                </th>
              )}
              <th>Machine</th>
              <th>IP</th>
              <th>GPUs</th>
              <th>State</th>
              <th>Progress</th>
              <th>Elapsed</th>
              <th>Failure</th>
              <th>Report</th>
            </tr>
          </thead>
          <tbody>
            {job.tasks.map((t) => {
              const pct = progressOf(t, steps);
              return (
                <tr key={t.id} data-testid="node-row" className={picked.has(t.id) ? "selected" : undefined}>
                  {selectable && (
                    <td className="select-cell">
                      <input
                        type="checkbox"
                        aria-label={`Select node ${t.machine_uuid.slice(0, 8)} to compare`}
                        checked={picked.has(t.id)}
                        onChange={(e) => pick(t.id, e.target.checked)}
                      />
                    </td>
                  )}
                  <td className="mono" title={t.machine_uuid}>
                    {t.machine_uuid.slice(0, 13)}
                  </td>
                  <td className="mono">{t.machine_ip ?? "—"}</td>
                  <td>
                    {t.gpu_model ?? "—"} × {t.gpu_count}
                  </td>
                  <td>
                    <StateBadge state={t.state} />
                  </td>
                  <td>
                    <div className="row" style={{ flexWrap: "nowrap" }}>
                      <div
                        className="progress"
                        role="progressbar"
                        aria-label={`Progress of node ${t.machine_uuid.slice(0, 8)}`}
                        aria-valuenow={pct}
                        aria-valuemin={0}
                        aria-valuemax={100}
                      >
                        <span style={{ width: `${pct}%` }} />
                      </div>
                      <span className="muted">{pct}%</span>
                    </div>
                  </td>
                  <td style={{ whiteSpace: "nowrap" }}>{elapsed(t.started_at, t.ended_at, now)}</td>
                  <td>
                    {t.failed_message ? (
                      <span style={{ color: "var(--danger)" }}>{t.failed_message}</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    <a
                      href={t.pdf_report_url ?? taskReportUrl(job.id, t.id)}
                      target="_blank"
                      rel="noreferrer"
                      aria-label={`PDF report of node ${t.machine_uuid.slice(0, 8)}`}
                    >
                      PDF
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {job.tasks.map((t) => {
        const host = (t.inventory as { hostname?: unknown } | null)?.hostname;
        const label = `${t.machine_uuid.slice(0, 13)}${typeof host === "string" ? ` (${host})` : ""}`;
        return (
          <details key={t.id} className="card" style={{ marginTop: 8 }} data-testid="node-details">
            <summary>Node details: {label}</summary>
            <div className="body">
              <NodeInventory inventory={t.inventory} label={label} />
            </div>
          </details>
        );
      })}
    </>
  );
}
