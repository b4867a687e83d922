"use client";
import { useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { apiUrl } from "@/lib/client/api-fetch";
import { queryKeys } from "@/lib/client/query-keys";

const MAX_LINES = 2000;

/**
 * Node logs. While the job is live they stream over server-sent events (follow=true);
 * afterwards the stored tail is fetched once. The stream's `end` event refreshes the job.
 */
export function JobLogs({ jobId, live }: { jobId: string; live: boolean }) {
  const [lines, setLines] = useState<string[]>([]);
  const [status, setStatus] = useState<"loading" | "streaming" | "done" | "error">("loading");
  const box = useRef<HTMLPreElement>(null);
  const qc = useQueryClient();

  useEffect(() => {
    if (live) {
      const es = new EventSource(apiUrl(`/jobs/${jobId}/logs`, { follow: true, tail: 200 }));
      // Each (re)connection starts with the tail again: it replaces what is shown.
      es.onopen = () => {
        setLines([]);
        setStatus("streaming");
      };
      es.onmessage = (e) => setLines((ls) => [...ls, e.data].slice(-MAX_LINES));
      es.addEventListener("end", () => {
        es.close();
        setStatus("done");
        qc.invalidateQueries({ queryKey: queryKeys.job.detail(jobId) });
      });
      es.onerror = () => {
        if (es.readyState === EventSource.CLOSED) setStatus("error");
      };
      return () => es.close();
    }
    const ctl = new AbortController();
    fetch(apiUrl(`/jobs/${jobId}/logs`, { tail: 500 }), { signal: ctl.signal, credentials: "same-origin" })
      .then(async (r) => {
        if (!r.ok) throw new Error(String(r.status));
        setLines((await r.text()).split("\n").filter(Boolean));
        setStatus("done");
      })
      .catch((e) => (e as Error).name !== "AbortError" && setStatus("error"));
    return () => ctl.abort();
  }, [jobId, live, qc]);

  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <div className="stack">
      <div className="row muted" style={{ fontSize: 12 }} aria-live="polite">
        {status === "streaming"
          ? "Streaming live…"
          : status === "loading"
            ? "Loading logs…"
            : status === "error"
              ? "Could not load logs."
              : `${lines.length} lines`}
      </div>
      <pre ref={box} className="log-view" data-testid="job-logs" tabIndex={0} aria-label="Node logs">
        {lines.length ? lines.join("\n") : status === "loading" ? "" : "No log lines yet."}
      </pre>
    </div>
  );
}
