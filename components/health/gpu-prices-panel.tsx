"use client";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import { queryKeys } from "@/lib/client/query-keys";
import type { listGpuPrices } from "@/lib/health/prices";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useRefreshingMutation } from "@/components/ui/use-refreshing-mutation";

type Prices = Awaited<ReturnType<typeof listGpuPrices>>;

/**
 * The customer's price per GPU-hour per GPU model (optional): what turns a suspect machine's
 * lost capacity into a cost. Customer admins edit it; everyone else reads it.
 */
export function GpuPricesPanel({ canManage }: { canManage: boolean }) {
  const q = useQuery({
    queryKey: queryKeys.gpuPrices,
    queryFn: ({ signal }) => apiFetch<Prices>("/gpu-prices", { signal }),
  });
  // Only what the admin typed; everything else shows the saved price.
  const [edits, setEdits] = useState<Record<string, string>>({});
  const notify = useToast();
  const saved = Object.fromEntries((q.data?.prices ?? []).map((p) => [p.gpu_model, String(p.price_per_gpu_hour)]));
  const draft: Record<string, string> = { ...saved, ...edits };
  const save = useRefreshingMutation(
    () =>
      apiFetch<Prices>("/gpu-prices", {
        method: "PUT",
        body: {
          prices: Object.entries(draft)
            .filter(([, v]) => v.trim() !== "")
            .map(([gpu_model, v]) => ({ gpu_model, price_per_gpu_hour: Number(v) })),
        },
      }),
    {
      refresh: [queryKeys.gpuPrices, queryKeys.machines.all],
      notify,
      success: () => "Prices saved",
      failure: "Could not save the prices",
    },
  );
  if (q.isError) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  const models = [...new Set([...(q.data?.fleet_gpu_models ?? []), ...(q.data?.prices ?? []).map((p) => p.gpu_model)])];
  return (
    <section className="section" aria-labelledby="prices-h">
      <h2 id="prices-h">Price per GPU-hour</h2>
      {models.length === 0 ? (
        <p className="muted small">No GPU models in your fleet yet.</p>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(undefined, { onSuccess: () => setEdits({}) });
          }}
        >
          <div className="row">
            {models.map((m) => (
              <label key={m} className="field">
                <span>{m}</span>
                <input
                  type="number"
                  min="0"
                  step="0.01"
                  inputMode="decimal"
                  placeholder="no price"
                  aria-label={`Price per GPU-hour of ${m}`}
                  value={draft[m] ?? ""}
                  disabled={!canManage}
                  onChange={(e) => setEdits((d) => ({ ...d, [m]: e.target.value }))}
                />
              </label>
            ))}
          </div>
          {canManage && (
            <div>
              <Button type="submit" variant="primary" loading={save.isPending}>
                Save prices
              </Button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
