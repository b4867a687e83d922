"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { useRefreshingMutation } from "@/components/ui/use-refreshing-mutation";
import { apiFetch } from "@/lib/client/api-fetch";
import { queryKeys } from "@/lib/client/query-keys";
import type { AdminHealthState } from "@/lib/health/states";

const VERB: Record<AdminHealthState, string> = { quarantined: "Quarantine", cleared: "Clear" };

/**
 * An admin's health actions on one machine: quarantine (from any other state) and clear (a
 * suspect or quarantined machine), each asking for the note that goes into its history.
 */
export function HealthActions({ machine }: { machine: { id: number; name: string; state: string } }) {
  const [target, setTarget] = useState<AdminHealthState | null>(null);
  const [note, setNote] = useState("");
  const notify = useToast();
  const change = useRefreshingMutation(
    (body: { state: AdminHealthState; note: string }) =>
      apiFetch(`/machines/${machine.id}/health`, { method: "POST", body }),
    {
      refresh: [queryKeys.machines.all, queryKeys.machines.detail(String(machine.id))],
      notify,
      success: (body) => `${machine.name} ${body.state}`,
      failure: "Could not change the machine's health",
    },
  );
  const open = (state: AdminHealthState) => {
    setNote("");
    setTarget(state);
  };
  const canClear = machine.state === "suspect" || machine.state === "quarantined";
  return (
    <div className="row" style={{ flexWrap: "nowrap" }}>
      {machine.state !== "quarantined" && (
        <Button
          size="sm"
          variant="danger"
          onClick={() => open("quarantined")}
          aria-label={`Quarantine ${machine.name}`}
        >
          Quarantine
        </Button>
      )}
      {canClear && (
        <Button size="sm" onClick={() => open("cleared")} aria-label={`Clear ${machine.name}`}>
          Clear
        </Button>
      )}
      <Dialog
        open={target !== null}
        onClose={() => setTarget(null)}
        title={target ? `${VERB[target]} ${machine.name}?` : ""}
        actions={
          <>
            <Button onClick={() => setTarget(null)}>Cancel</Button>
            <Button
              variant={target === "quarantined" ? "danger" : "primary"}
              disabled={!note.trim()}
              loading={change.isPending}
              onClick={() =>
                target &&
                change.mutate(
                  { state: target, note: note.trim() },
                  {
                    onSuccess: () => {
                      setTarget(null);
                      setNote("");
                    },
                  },
                )
              }
            >
              {target ? VERB[target] : ""}
            </Button>
          </>
        }
      >
        <p className="muted">
          {target === "quarantined"
            ? "The machine joins the drain list (GET /machines/drain-list) until it is cleared."
            : "The machine counts as healthy again; a later confirmed verdict makes it suspect anew."}
        </p>
        <label className="field">
          <span>Note (why; shown in the machine&apos;s history and the drain list)</span>
          <textarea value={note} maxLength={500} rows={3} onChange={(e) => setNote(e.target.value)} autoFocus />
        </label>
      </Dialog>
    </div>
  );
}
