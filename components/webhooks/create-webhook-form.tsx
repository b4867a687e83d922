"use client";
import { useState } from "react";
import { apiFetch, ApiClientError } from "@/lib/client/api-fetch";
import { EVENT_TYPES } from "@/lib/events/outbox";
import { createWebhookSchema } from "@/lib/webhooks/schemas";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/common/copy-button";
import { useToast } from "@/components/ui/toast";
import { EVENT_LABEL } from "./labels";
import { useWebhookMutation, type WebhookRow } from "./use-webhooks";

type Errors = Record<string, string>;
type Created = WebhookRow & { secret: string };

/** New webhook: URL, events, format, optional own secret; the secret is shown once, after creating. */
export function CreateWebhookForm({ customers }: { customers: { id: number; name: string }[] | null }) {
  const empty = {
    url: "",
    events: ["job.failed", "job.underperforming"] as string[],
    format: "json",
    secret: "",
    customer_id: "",
  };
  const [f, setF] = useState(empty);
  const [errors, setErrors] = useState<Errors>({});
  const [created, setCreated] = useState<Created | null>(null);
  const notify = useToast();
  const create = useWebhookMutation((body: unknown) => apiFetch<Created>("/webhooks", { method: "POST", body }));

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body = {
      url: f.url,
      events: f.events,
      format: f.format,
      secret: f.secret.trim() || undefined,
      customer_id: f.customer_id ? Number(f.customer_id) : undefined,
    };
    const parsed = createWebhookSchema.safeParse(body);
    if (!parsed.success) {
      const out: Errors = {};
      for (const i of parsed.error.issues) out[String(i.path[0] ?? "form")] ??= i.message;
      return setErrors(out);
    }
    setErrors({});
    create.mutate(body, {
      onSuccess: (w) => {
        setCreated(w);
        setF(empty);
        notify({ kind: "success", title: `Webhook created for ${w.url}` });
      },
      onError: (err) => {
        const out: Errors = { form: (err as Error).message };
        if (err instanceof ApiClientError && Array.isArray(err.details))
          for (const d of err.details as { field: string | null; message: string }[])
            out[d.field ?? "form"] ??= d.message;
        setErrors(out);
      },
    });
  }
  const toggle = (type: string) =>
    setF({ ...f, events: f.events.includes(type) ? f.events.filter((t) => t !== type) : [...f.events, type] });
  const err = (k: string) =>
    errors[k] && (
      <span className="field-error" id={`wh-${k}-error`}>
        {errors[k]}
      </span>
    );

  return (
    <form className="card card-pad stack" onSubmit={submit} noValidate aria-labelledby="create-webhook-h">
      <h2 id="create-webhook-h">Add a webhook</h2>
      {created && (
        <div className="state-box" role="status" data-testid="webhook-secret">
          <strong>Signing secret of {created.url}</strong>
          <p>Copy it now: it is not shown again. Receivers verify each delivery&apos;s signature with it.</p>
          <CopyField value={created.secret} label="Copy the signing secret" testId="webhook-secret-value" />
          <div>
            <Button size="sm" onClick={() => setCreated(null)}>
              Done, I have stored it
            </Button>
          </div>
        </div>
      )}
      <div className="form-grid" style={{ maxWidth: "none" }}>
        <label className="field">
          <span>Receiver URL</span>
          <input
            type="url"
            name="url"
            placeholder="https://hooks.example.com/benchboard"
            value={f.url}
            onChange={(e) => setF({ ...f, url: e.target.value })}
            aria-invalid={!!errors.url}
            aria-describedby={errors.url ? "wh-url-error" : undefined}
          />
          {err("url")}
        </label>
        <fieldset className="field">
          <legend>Events</legend>
          <div className="row">
            {EVENT_TYPES.map((t) => (
              <label key={t} className="row" style={{ gap: 4 }}>
                <input type="checkbox" checked={f.events.includes(t)} onChange={() => toggle(t)} />
                <span>
                  {EVENT_LABEL[t]} <code className="muted">{t}</code>
                </span>
              </label>
            ))}
          </div>
          {err("events")}
        </fieldset>
        <div className="two">
          <label className="field">
            <span>Format</span>
            <select name="format" value={f.format} onChange={(e) => setF({ ...f, format: e.target.value })}>
              <option value="json">JSON event</option>
              <option value="slack">Slack incoming webhook</option>
            </select>
          </label>
          <label className="field">
            <span>Secret (optional)</span>
            <input
              type="text"
              name="secret"
              autoComplete="off"
              placeholder="Generated when empty"
              value={f.secret}
              onChange={(e) => setF({ ...f, secret: e.target.value })}
              aria-invalid={!!errors.secret}
            />
            {err("secret")}
          </label>
          {customers && (
            <label className="field">
              <span>Customer</span>
              <select
                name="customer_id"
                value={f.customer_id}
                onChange={(e) => setF({ ...f, customer_id: e.target.value })}
              >
                <option value="">Your own</option>
                {customers.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              {err("customer_id")}
            </label>
          )}
        </div>
      </div>
      {errors.form && (
        <div className="field-error" role="alert">
          {errors.form}
        </div>
      )}
      <div>
        <Button type="submit" variant="primary" loading={create.isPending}>
          Create webhook
        </Button>
      </div>
    </form>
  );
}
