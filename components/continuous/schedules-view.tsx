"use client";
import Link from "next/link";
import { useState } from "react";
import { apiFetch, ApiClientError } from "@/lib/client/api-fetch";
import { createScheduleSchema } from "@/lib/schedules/schemas";
import { Button } from "@/components/ui/button";
import { Badge, StateBadge } from "@/components/ui/badge";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import { useToast } from "@/components/ui/toast";
import { useBenchmarks } from "@/components/job-detail/use-job";
import { useRefreshingMutation } from "@/components/ui/use-refreshing-mutation";
import { FLEET_LISTS, useSchedules, type ScheduleView } from "./use-continuous";

type Errors = Record<string, string>;

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** Schedules: create one, pause or resume, delete, and follow each one's latest runs to their jobs. */
export function SchedulesView() {
  return (
    <div className="stack">
      <CreateScheduleForm />
      <section className="section" aria-labelledby="schedules-h">
        <h2 id="schedules-h">Schedules</h2>
        <SchedulesTable />
      </section>
    </div>
  );
}

function CreateScheduleForm() {
  const empty = {
    name: "",
    cron: "0 * * * *",
    benchmarks: ["quick_mark"],
    gpu_model: "",
    tags: "",
    machine_ids: "",
    only_idle: true,
  };
  const [f, setF] = useState(empty);
  const [errors, setErrors] = useState<Errors>({});
  const notify = useToast();
  const catalog = useBenchmarks();
  const create = useRefreshingMutation((body: unknown) => apiFetch("/schedules", { method: "POST", body }), {
    refresh: FLEET_LISTS,
    notify,
    success: () => `Schedule “${f.name.trim()}” created`,
    failure: "Could not save",
  });
  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body = {
      name: f.name,
      cron: f.cron,
      benchmarks: f.benchmarks,
      only_idle: f.only_idle,
      target: {
        ...(f.gpu_model.trim() ? { gpu_model: f.gpu_model.trim() } : {}),
        ...(list(f.tags).length ? { tags: list(f.tags) } : {}),
        ...(list(f.machine_ids).length ? { machine_ids: list(f.machine_ids).map(Number) } : {}),
      },
    };
    const parsed = createScheduleSchema.safeParse(body);
    if (!parsed.success) {
      const out: Errors = {};
      for (const i of parsed.error.issues) out[String(i.path[0] ?? "form")] ??= i.message;
      return setErrors(out);
    }
    setErrors({});
    create.mutate(body, {
      onSuccess: () => setF(empty),
      onError: (err) => {
        const out: Errors = { form: (err as Error).message };
        if (err instanceof ApiClientError && Array.isArray(err.details))
          for (const d of err.details as { field: string | null; message: string }[])
            out[d.field?.split(".")[0] ?? "form"] ??= d.message;
        setErrors(out);
      },
    });
  }
  const set = (k: "name" | "cron" | "gpu_model" | "tags" | "machine_ids") => (e: React.ChangeEvent<HTMLInputElement>) =>
    setF({ ...f, [k]: e.target.value });
  const err = (k: string) => errors[k] && <span className="field-error">{errors[k]}</span>;
  const toggle = (id: string) =>
    setF({
      ...f,
      benchmarks: f.benchmarks.includes(id) ? f.benchmarks.filter((b) => b !== id) : [...f.benchmarks, id],
    });
  return (
    <form className="card card-pad stack" onSubmit={submit} noValidate aria-labelledby="create-schedule-h">
      <h2 id="create-schedule-h">New schedule</h2>
      <div className="form-grid" style={{ maxWidth: "none" }}>
        <div className="two">
          <label className="field">
            <span>Name</span>
            <input name="name" value={f.name} onChange={set("name")} aria-invalid={!!errors.name} />
            {err("name")}
          </label>
          <label className="field">
            <span>Cron (UTC)</span>
            <input name="cron" className="mono" value={f.cron} onChange={set("cron")} aria-invalid={!!errors.cron} />
            <span className="muted small">minute hour day month weekday, e.g. 0 * * * * hourly</span>
            {err("cron")}
          </label>
          <label className="field">
            <span>GPU model contains</span>
            <input name="gpu_model" value={f.gpu_model} onChange={set("gpu_model")} placeholder="any" />
          </label>
          <label className="field">
            <span>Machine labels (all of)</span>
            <input name="tags" value={f.tags} onChange={set("tags")} placeholder="rack-12, ib" />
            {err("target")}
          </label>
          <label className="field">
            <span>Machine ids</span>
            <input name="machine_ids" value={f.machine_ids} onChange={set("machine_ids")} placeholder="any enrolled" />
          </label>
          <label className="row">
            <input
              type="checkbox"
              name="only_idle"
              checked={f.only_idle}
              onChange={(e) => setF({ ...f, only_idle: e.target.checked })}
            />
            <span>Only idle machines</span>
          </label>
        </div>
        <fieldset className="field">
          <legend>Benchmarks</legend>
          <div className="row">
            {(catalog.data?.benchmarks ?? [{ id: "quick_mark", name: "quick_mark" }]).map((b) => (
              <label key={b.id} className="row">
                <input type="checkbox" checked={f.benchmarks.includes(b.id)} onChange={() => toggle(b.id)} />
                <span>{b.id}</span>
              </label>
            ))}
          </div>
          {err("benchmarks")}
        </fieldset>
      </div>
      {errors.form && (
        <p className="field-error" role="alert">
          {errors.form}
        </p>
      )}
      <div>
        <Button type="submit" variant="primary" loading={create.isPending}>
          Create schedule
        </Button>
      </div>
    </form>
  );
}

function target(s: ScheduleView): string {
  const parts = [
    s.target.gpu_model && `GPU ~ ${s.target.gpu_model}`,
    s.target.tags.length > 0 && `labels ${s.target.tags.join(", ")}`,
    s.target.machine_ids.length > 0 && `machines ${s.target.machine_ids.join(", ")}`,
  ].filter(Boolean);
  return `${parts.length ? parts.join("; ") : "every enrolled machine"}${s.only_idle ? " (idle only)" : ""}`;
}

function SchedulesTable() {
  const schedules = useSchedules();
  const notify = useToast();
  const pause = useRefreshingMutation(
    (s: { id: number; name: string; paused: boolean }) =>
      apiFetch(`/schedules/${s.id}`, { method: "PATCH", body: { paused: s.paused } }),
    {
      refresh: FLEET_LISTS,
      notify,
      success: (s) => `${s.name} ${s.paused ? "paused" : "resumed"}`,
      failure: "Could not save",
    },
  );
  const remove = useRefreshingMutation(
    (s: { id: number; name: string }) => apiFetch(`/schedules/${s.id}`, { method: "DELETE" }),
    { refresh: FLEET_LISTS, notify, success: (s) => `${s.name} deleted; its jobs stay`, failure: "Could not save" },
  );
  if (schedules.error) return <ErrorState error={schedules.error} onRetry={() => schedules.refetch()} />;
  if (schedules.data && schedules.data.results.length === 0)
    return <EmptyState title="No schedules yet">Create one above; its jobs appear here and in Jobs.</EmptyState>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Schedules">
        <thead>
          <tr>
            <th>Name</th>
            <th>Cron</th>
            <th>Runs on</th>
            <th>Next tick</th>
            <th>Latest runs</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {!schedules.data ? (
            <SkeletonRows columns={6} />
          ) : (
            schedules.data.results.map((s) => (
              <tr key={s.id} data-testid="schedule-row">
                <td>
                  <div>{s.name}</div>
                  <div className="muted small">
                    {s.benchmarks.join(", ")} ·{" "}
                    <Link href={`/jobs?tags=${encodeURIComponent(s.tag)}`}>all its jobs</Link>
                  </div>
                </td>
                <td className="mono">{s.cron}</td>
                <td>{target(s)}</td>
                <td>
                  {s.paused ? <Badge>Paused</Badge> : s.next_tick_at ? <RelativeTime iso={s.next_tick_at} /> : "—"}
                </td>
                <td>
                  {s.runs.length === 0 ? (
                    <span className="muted">none yet</span>
                  ) : (
                    <ul className="plain-list" aria-label={`Latest runs of ${s.name}`}>
                      {s.runs.map((r) => (
                        <li key={r.tick_at} data-testid="schedule-run">
                          <RelativeTime iso={r.tick_at} />{" "}
                          {r.job ? (
                            <>
                              <StateBadge state={r.job.state} /> <Link href={`/jobs/${r.job.id}`}>{r.job.name}</Link>
                            </>
                          ) : (
                            <span className="muted">skipped: {r.skipped_reason}</span>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  <div className="row" style={{ flexWrap: "nowrap" }}>
                    <Button
                      size="sm"
                      aria-label={`${s.paused ? "Resume" : "Pause"} ${s.name}`}
                      onClick={() => pause.mutate({ id: s.id, name: s.name, paused: !s.paused })}
                    >
                      {s.paused ? "Resume" : "Pause"}
                    </Button>
                    <Button
                      size="sm"
                      variant="danger"
                      aria-label={`Delete ${s.name}`}
                      onClick={() =>
                        window.confirm(`Delete schedule ${s.name}? The jobs it created stay.`) &&
                        remove.mutate({ id: s.id, name: s.name })
                      }
                    >
                      Delete
                    </Button>
                  </div>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
