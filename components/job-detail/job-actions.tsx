"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import type { JobDetail } from "@/lib/client/types";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { jobReportUrl } from "@/lib/reports/urls";
import { isActive, isEnded } from "@/lib/jobs/states";
import { queryKeys } from "@/lib/client/query-keys";

/**
 * PDF report, cancel (while it can still run) and delete (once it is not running), each
 * confirmed, and each only when the API says this caller may (caller_permissions, read from
 * the permission table in lib/auth/permissions.ts): staff see other people's jobs but act on none.
 */
export function JobActions({ job }: { job: JobDetail }) {
  const [confirm, setConfirm] = useState<"cancel" | "delete" | null>(null);
  const qc = useQueryClient();
  const router = useRouter();
  const notify = useToast();
  const cancel = useMutation({
    mutationFn: () => apiFetch(`/jobs/${job.id}/cancel`, { method: "POST" }),
    onSuccess: () => {
      notify({ kind: "success", title: "Job cancelled" });
      qc.invalidateQueries({ queryKey: queryKeys.job.detail(job.id) });
    },
    onError: (e) => notify({ kind: "error", title: "Could not cancel the job", message: (e as Error).message }),
    onSettled: () => setConfirm(null),
  });
  const remove = useMutation({
    mutationFn: () => apiFetch(`/jobs/delete`, { method: "DELETE", body: { id: job.id } }),
    onSuccess: () => {
      notify({ kind: "success", title: "Job deleted" });
      qc.invalidateQueries({ queryKey: queryKeys.jobs.all });
      router.push("/jobs");
    },
    onError: (e) => notify({ kind: "error", title: "Could not delete the job", message: (e as Error).message }),
    onSettled: () => setConfirm(null),
  });
  const cancellable = job.caller_permissions.cancel && !isEnded(job.state);
  const deletable = job.caller_permissions.delete && !isActive(job.state);
  return (
    <div className="row">
      <a
        className="btn"
        href={job.pdf_report_url ?? jobReportUrl(job.id)}
        target="_blank"
        rel="noreferrer"
        data-testid="job-report-link"
      >
        PDF report
      </a>
      {cancellable && <Button onClick={() => setConfirm("cancel")}>Cancel job</Button>}
      {deletable && (
        <Button variant="danger" onClick={() => setConfirm("delete")}>
          Delete
        </Button>
      )}
      <ConfirmDialog
        open={confirm === "cancel"}
        title="Cancel this job?"
        message={`“${job.name}” ends as aborted; its agents stop at their next heartbeat. This cannot be undone.`}
        confirmLabel="Cancel job"
        danger
        pending={cancel.isPending}
        onConfirm={() => cancel.mutate()}
        onCancel={() => setConfirm(null)}
      />
      <ConfirmDialog
        open={confirm === "delete"}
        title="Delete this job?"
        message={`“${job.name}” and its results disappear from the dashboard and the API.`}
        confirmLabel="Delete job"
        danger
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => setConfirm(null)}
      />
    </div>
  );
}
