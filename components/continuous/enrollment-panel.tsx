"use client";
import { useState } from "react";
import { apiFetch } from "@/lib/client/api-fetch";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { CopyField } from "@/components/common/copy-button";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import { useToast } from "@/components/ui/toast";
import { useOrigin } from "@/components/ui/browser-state";
import { AgentStatusBadge } from "@/components/fleet/agent-status-badge";
import { useRefreshingMutation } from "@/components/ui/use-refreshing-mutation";
import { FLEET_LISTS, useEnrolledMachines, useEnrollmentTokens, type CreatedToken } from "./use-continuous";

/**
 * Fleet managers: enrollment tokens (created here, the secret shown once) and the machines
 * enrolled with them — live status, labels, removal.
 */
export function EnrollmentPanel() {
  // The dashboard's own origin is what agents reach; known only in the browser.
  const origin = useOrigin();
  return (
    <section className="section stack" aria-labelledby="enroll-h">
      <h2 id="enroll-h">Enrolled machines</h2>
      <p className="muted">
        Machines running the agent in service mode wait for jobs aimed at them (by schedules) and run them. Enroll one
        with a token: <code>node benchboard-agent.mjs service --url {origin}</code> with the token in{" "}
        <code>BENCHBOARD_ENROLL_TOKEN</code>.
      </p>
      <TokensCard />
      <EnrolledTable />
    </section>
  );
}

function TokensCard() {
  const tokens = useEnrollmentTokens();
  const notify = useToast();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const create = useRefreshingMutation(
    (body: { name: string }) => apiFetch<CreatedToken>("/enrollment-tokens", { method: "POST", body }),
    { refresh: FLEET_LISTS, notify, success: (v) => `Created enrollment token “${v.name}”`, failure: "Could not save" },
  );
  const revoke = useRefreshingMutation(
    (t: { id: number; name: string }) => apiFetch(`/enrollment-tokens/${t.id}`, { method: "DELETE" }),
    {
      refresh: FLEET_LISTS,
      notify,
      success: (t) => `Revoked “${t.name}”; machines enrolled with it stay connected`,
      failure: "Could not save",
    },
  );
  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!name.trim()) return;
    create.mutate({ name: name.trim() }, { onSuccess: (t) => (setCreated(t), setName("")) });
  }
  return (
    <div className="card card-pad stack">
      <form className="row" onSubmit={submit} aria-label="Create an enrollment token">
        <label className="field" style={{ flex: 1 }}>
          <span>New enrollment token</span>
          <input
            name="token-name"
            placeholder="What it is for, e.g. rack 12"
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <Button type="submit" variant="primary" loading={create.isPending} disabled={!name.trim()}>
          Create token
        </Button>
      </form>
      {created && (
        <div className="state-box" role="status" data-testid="new-enrollment-token">
          <p>
            <strong>Copy this token now: it is shown only once.</strong> Only a hash of it is kept.
          </p>
          <CopyField value={created.token} label="Copy the enrollment token" testId="enrollment-token-secret" />
          <Button size="sm" variant="ghost" onClick={() => setCreated(null)}>
            Done, hide it
          </Button>
        </div>
      )}
      {tokens.error ? (
        <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} />
      ) : tokens.data && tokens.data.results.length === 0 ? (
        <EmptyState title="No enrollment tokens yet">Create one to enroll machines.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Enrollment tokens">
            <thead>
              <tr>
                <th>Name</th>
                <th>Token</th>
                <th>Customer</th>
                <th>Created</th>
                <th>Last used</th>
                <th className="num">Machines</th>
                <th>State</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(tokens.data?.results ?? []).map((t) => (
                <tr key={t.id} data-testid="enrollment-token-row">
                  <td>{t.name}</td>
                  <td className="mono">{t.token_prefix}…</td>
                  <td>{t.customer}</td>
                  <td>
                    <RelativeTime iso={t.created_at} />
                  </td>
                  <td>{t.last_used_at ? <RelativeTime iso={t.last_used_at} /> : "never"}</td>
                  <td className="num">{t.machine_count}</td>
                  <td>
                    <Badge tone={t.state === "active" ? "success" : "neutral"}>
                      {t.state === "active" ? "Active" : "Revoked"}
                    </Badge>
                  </td>
                  <td>
                    {t.state === "active" && (
                      <Button
                        size="sm"
                        variant="danger"
                        aria-label={`Revoke token ${t.name}`}
                        onClick={() =>
                          window.confirm(`Revoke “${t.name}”? No machine can enroll with it afterwards.`) &&
                          revoke.mutate(t)
                        }
                      >
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function LabelsEditor({ id, labels, name }: { id: number; labels: string[]; name: string }) {
  const notify = useToast();
  const [text, setText] = useState(labels.join(", "));
  const save = useRefreshingMutation(
    (body: { labels: string[] }) => apiFetch(`/machines/${id}/labels`, { method: "PUT", body }),
    { refresh: FLEET_LISTS, notify, success: () => `Labels of ${name} saved`, failure: "Could not save" },
  );
  const next = text
    .split(",")
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    <form
      className="row"
      style={{ flexWrap: "nowrap" }}
      onSubmit={(e) => (e.preventDefault(), save.mutate({ labels: next }))}
    >
      <input
        aria-label={`Labels of ${name} (comma separated)`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="rack-12, ib"
        style={{ minWidth: 120 }}
      />
      {next.join(",") !== labels.join(",") && (
        <Button size="sm" type="submit" loading={save.isPending}>
          Save
        </Button>
      )}
    </form>
  );
}

function EnrolledTable() {
  const machines = useEnrolledMachines();
  const notify = useToast();
  const remove = useRefreshingMutation(
    (m: { id: number; name: string }) => apiFetch(`/machines/${m.id}/enrollment`, { method: "DELETE" }),
    {
      refresh: FLEET_LISTS,
      notify,
      success: (m) => `${m.name} removed; its agent is disconnected`,
      failure: "Could not save",
    },
  );
  if (machines.error) return <ErrorState error={machines.error} onRetry={() => machines.refetch()} />;
  if (machines.data && machines.data.results.length === 0)
    return <EmptyState title="No enrolled machines">Start a service agent with an enrollment token.</EmptyState>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Enrolled machines">
        <thead>
          <tr>
            <th>Machine</th>
            <th>Status</th>
            <th>GPU</th>
            <th>Labels</th>
            <th>Last heard</th>
            <th>Token</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(machines.data?.results ?? []).map((m) => {
            const name = m.hostname ?? m.machine_uuid;
            return (
              <tr key={m.id} data-testid="enrolled-machine-row">
                <td title={m.machine_uuid}>{name}</td>
                <td>
                  <AgentStatusBadge agent={m.agent} />
                </td>
                <td>
                  {m.gpu_model ?? "—"} × {m.gpu_count}
                </td>
                <td>
                  <LabelsEditor id={m.id} labels={m.labels} name={name} />
                </td>
                <td>{m.agent?.last_seen_at ? <RelativeTime iso={m.agent.last_seen_at} /> : "—"}</td>
                <td>{m.enrollment_token ?? "—"}</td>
                <td>
                  <Button
                    size="sm"
                    variant="danger"
                    aria-label={`Remove ${name} from service mode`}
                    onClick={() =>
                      window.confirm(`Remove ${name}? Its agent is disconnected; its history stays.`) &&
                      remove.mutate({ id: m.id, name })
                    }
                  >
                    Remove
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
