"use client";
import { useState } from "react";
import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, ApiClientError } from "@/lib/client/api-fetch";
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_NODE_COUNT, MAX_TAGS } from "@/lib/jobs/limits";
import { createJobSchema } from "@/lib/jobs/schemas";
import type { JobDetail } from "@/lib/client/types";
import { Button } from "@/components/ui/button";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { AgentCommands } from "@/components/common/agent-commands";
import { useBenchmarks } from "@/components/job-detail/use-job";
import { ConfigFields, configFromInputs, type ConfigSchema } from "./config-fields";
import { queryKeys } from "@/lib/client/query-keys";

type Errors = Record<string, string>;
const MINUTE = 60_000;

interface FormState {
  name: string;
  description: string;
  node_count: string;
  tags: string;
  selected: string[];
  configs: Record<string, Record<string, string>>;
  gpu_name: string;
  gpu_count: string;
  min_vram_gb: string;
  assign_minutes: string;
  run_minutes: string;
  max_retry_count: string;
}

const INITIAL: FormState = {
  name: "",
  description: "",
  node_count: "1",
  tags: "",
  selected: ["quick_mark"],
  configs: {},
  gpu_name: "",
  gpu_count: "",
  min_vram_gb: "",
  assign_minutes: "",
  run_minutes: "",
  max_retry_count: "",
};

const num = (s: string) => (s.trim() === "" ? undefined : Number(s));

/** Form → POST /jobs body; timeouts are entered in minutes, sent in ms. */
function payloadOf(f: FormState, schemas: Record<string, ConfigSchema>) {
  const minutes = (s: string) => (s.trim() === "" ? undefined : Math.round(Number(s) * MINUTE));
  const body: Record<string, unknown> = {
    name: f.name.trim() || undefined,
    description: f.description.trim() || undefined,
    node_count: num(f.node_count),
    tags: f.tags
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    benchmarks: f.selected.map((id) => {
      const config = configFromInputs(schemas[id] ?? {}, f.configs[id] ?? {});
      return Object.keys(config).length ? { benchmark_id: id, config } : id;
    }),
    gpu_name: f.gpu_name.trim() || undefined,
    gpu_count: num(f.gpu_count),
    min_vram_gb: num(f.min_vram_gb),
    max_timeout_assign_ms: minutes(f.assign_minutes),
    max_timeout_run_ms: minutes(f.run_minutes),
    max_retry_count: num(f.max_retry_count),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

// Schema fields that the form shows under another input.
const FIELD_OF: Record<string, string> = { max_timeout_assign_ms: "assign_minutes", max_timeout_run_ms: "run_minutes" };

function errorsFrom(issues: { field: string | null; message: string }[]): Errors {
  const out: Errors = {};
  for (const i of issues) {
    const top = (i.field ?? "form").split(".")[0];
    const key = FIELD_OF[top] ?? top;
    out[key] ??= i.message;
  }
  return out;
}

export function NewJobForm({ agentSha256 }: { agentSha256: string | null }) {
  const benchmarks = useBenchmarks();
  const [form, setForm] = useState<FormState>(INITIAL);
  const [errors, setErrors] = useState<Errors>({});
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: (body: unknown) => apiFetch<JobDetail>("/jobs", { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.jobs.all }),
    onError: (e) => {
      const details =
        e instanceof ApiClientError && Array.isArray(e.details)
          ? (e.details as { field: string | null; message: string }[])
          : [];
      setErrors({ ...errorsFrom(details), form: (e as Error).message });
    },
  });

  if (benchmarks.isPending) return <LoadingState label="Loading benchmarks…" />;
  if (benchmarks.isError) return <ErrorState error={benchmarks.error} onRetry={() => benchmarks.refetch()} />;
  const catalog = benchmarks.data.benchmarks;
  const schemas = Object.fromEntries(catalog.map((b) => [b.id, b.config_schema as ConfigSchema]));

  if (create.isSuccess) {
    const job = create.data;
    return (
      <div className="stack" style={{ maxWidth: 760 }}>
        <div className="card card-pad stack" role="status" aria-labelledby="created-h">
          <h2 id="created-h">Job “{job.name}” created</h2>
          <p style={{ margin: 0 }}>
            Start the agent on each node with this token before it expires. The job starts when the first node joins.
          </p>
          <AgentCommands token={job.token} nodeCount={job.node_count} agentSha256={agentSha256} />
          <div className="row">
            <Link className="btn btn-primary" href={`/jobs/${job.id}`}>
              Open job
            </Link>
            <Button
              onClick={() => {
                create.reset();
                setForm(INITIAL);
                setErrors({});
              }}
            >
              Create another
            </Button>
          </div>
        </div>
      </div>
    );
  }

  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm((f) => ({ ...f, [k]: v }));
  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body = payloadOf(form, schemas);
    // The API's own schema, so the form refuses exactly what the API would.
    const parsed = createJobSchema.safeParse(body);
    if (!parsed.success) {
      setErrors(errorsFrom(parsed.error.issues.map((i) => ({ field: i.path.join(".") || null, message: i.message }))));
      return;
    }
    setErrors({});
    create.mutate(body);
  }
  const err = (k: string) =>
    errors[k] && (
      <span className="field-error" id={`${k}-error`}>
        {errors[k]}
      </span>
    );
  const described = (k: string) => (errors[k] ? { "aria-invalid": true, "aria-describedby": `${k}-error` } : {});

  return (
    <form className="form-grid" onSubmit={submit} noValidate aria-label="New job">
      <fieldset className="card card-pad stack" style={{ margin: 0 }}>
        <legend className="sr-only">Benchmarks</legend>
        <h2>Benchmarks</h2>
        {catalog.map((b) => {
          const checked = form.selected.includes(b.id);
          const locked = b.id === "quick_mark";
          return (
            <div key={b.id} className="card bench-option">
              <label className="head">
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={locked}
                  onChange={(e) =>
                    set(
                      "selected",
                      e.target.checked ? [...form.selected, b.id] : form.selected.filter((x) => x !== b.id),
                    )
                  }
                  aria-describedby={`bench-${b.id}-desc`}
                />
                <span>
                  <strong>{b.name}</strong> <span className="muted mono">{b.id}</span>
                  {locked && <span className="muted"> · always runs first</span>}
                  {b.min_nodes > 1 && <span className="muted"> · needs {b.min_nodes}+ nodes</span>}
                  <p id={`bench-${b.id}-desc`}>{b.description}</p>
                </span>
              </label>
              {checked && (
                <ConfigFields
                  benchmarkId={b.id}
                  schema={schemas[b.id]}
                  values={form.configs[b.id] ?? {}}
                  onChange={(key, value) =>
                    set("configs", { ...form.configs, [b.id]: { ...form.configs[b.id], [key]: value } })
                  }
                />
              )}
            </div>
          );
        })}
        {err("benchmarks")}
      </fieldset>

      <div className="card card-pad stack">
        <div className="two">
          <label className="field">
            <span>
              Name <span className="muted">(optional, ≤ {MAX_NAME_LENGTH})</span>
            </span>
            <input
              type="text"
              name="name"
              value={form.name}
              onChange={(e) => set("name", e.target.value)}
              {...described("name")}
            />
            {err("name")}
          </label>
          <label className="field">
            <span>Nodes (1–{MAX_NODE_COUNT})</span>
            <input
              type="number"
              name="node_count"
              min={1}
              max={MAX_NODE_COUNT}
              value={form.node_count}
              onChange={(e) => set("node_count", e.target.value)}
              {...described("node_count")}
            />
            {err("node_count")}
          </label>
        </div>
        <label className="field">
          <span>
            Description <span className="muted">(optional)</span>
          </span>
          <textarea
            name="description"
            rows={2}
            maxLength={MAX_DESCRIPTION_LENGTH + 10}
            value={form.description}
            onChange={(e) => set("description", e.target.value)}
            {...described("description")}
          />
          {err("description")}
        </label>
        <label className="field">
          <span>
            Tags <span className="muted">(comma-separated, ≤ {MAX_TAGS})</span>
          </span>
          <input
            type="text"
            name="tags"
            value={form.tags}
            onChange={(e) => set("tags", e.target.value)}
            placeholder="production, h100"
            {...described("tags")}
          />
          {err("tags")}
        </label>
      </div>

      <details className="card">
        <summary>Node requirements and timeouts (optional)</summary>
        <div className="body two">
          <label className="field">
            <span>GPU model contains</span>
            <input
              type="text"
              name="gpu_name"
              value={form.gpu_name}
              onChange={(e) => set("gpu_name", e.target.value)}
              placeholder="H100"
              {...described("gpu_name")}
            />
            {err("gpu_name")}
          </label>
          <label className="field">
            <span>Minimum GPUs per node</span>
            <input
              type="number"
              name="gpu_count"
              min={1}
              value={form.gpu_count}
              onChange={(e) => set("gpu_count", e.target.value)}
              {...described("gpu_count")}
            />
            {err("gpu_count")}
          </label>
          <label className="field">
            <span>Minimum memory per GPU (GB)</span>
            <input
              type="number"
              name="min_vram_gb"
              min={0}
              value={form.min_vram_gb}
              onChange={(e) => set("min_vram_gb", e.target.value)}
              {...described("min_vram_gb")}
            />
            {err("min_vram_gb")}
          </label>
          <label className="field">
            <span>All nodes join within (minutes)</span>
            <input
              type="number"
              name="assign_minutes"
              min={1}
              value={form.assign_minutes}
              onChange={(e) => set("assign_minutes", e.target.value)}
              {...described("assign_minutes")}
            />
            {err("assign_minutes")}
          </label>
          <label className="field">
            <span>Finish within (minutes)</span>
            <input
              type="number"
              name="run_minutes"
              min={1}
              value={form.run_minutes}
              onChange={(e) => set("run_minutes", e.target.value)}
              {...described("run_minutes")}
            />
            {err("run_minutes")}
          </label>
          <label className="field">
            <span>Retries of a failed benchmark</span>
            <input
              type="number"
              name="max_retry_count"
              min={0}
              max={5}
              value={form.max_retry_count}
              onChange={(e) => set("max_retry_count", e.target.value)}
              {...described("max_retry_count")}
            />
            {err("max_retry_count")}
          </label>
        </div>
      </details>

      {errors.form && (
        <div className="card card-pad field-error" role="alert" style={{ borderColor: "var(--danger)" }}>
          {errors.form}
        </div>
      )}
      {Object.keys(errors).length > 0 && !errors.form && (
        <div className="field-error" role="alert">
          Please fix the highlighted fields.
        </div>
      )}
      <div className="row">
        <Button type="submit" variant="primary" loading={create.isPending}>
          Create job
        </Button>
        <Link className="btn btn-ghost" href="/jobs">
          Cancel
        </Link>
      </div>
    </form>
  );
}
