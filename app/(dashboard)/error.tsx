"use client";
import { ErrorState } from "@/components/ui/states";

/** Any dashboard page that throws while rendering lands here, inside the shell. */
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="card">
      <ErrorState error={error} onRetry={reset} title="This page could not be shown" />
    </div>
  );
}
