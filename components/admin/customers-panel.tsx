"use client";
import { useState } from "react";
import { apiFetch } from "@/lib/client/api-fetch";
import { createCustomerSchema } from "@/lib/users/schemas";
import { Button } from "@/components/ui/button";
import { ErrorState, SkeletonRows } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import { useToast } from "@/components/ui/toast";
import { useRefreshingMutation } from "@/components/ui/use-refreshing-mutation";
import { ADMIN_LISTS, type AdminCustomer } from "./use-admin";

/** Root admins only: every customer with its user and job counts, and a form to add one. */
export function CustomersPanel({
  customers,
  error,
  onRetry,
}: {
  customers: AdminCustomer[] | undefined;
  error: unknown;
  onRetry: () => void;
}) {
  const [name, setName] = useState("");
  const [err, setErr] = useState<string | null>(null);
  const notify = useToast();
  const create = useRefreshingMutation((n: string) => apiFetch("/customers", { method: "POST", body: { name: n } }), {
    refresh: ADMIN_LISTS,
    notify,
    success: (n) => `Created customer ${n}`,
  });
  function submit(e: React.FormEvent) {
    e.preventDefault();
    const parsed = createCustomerSchema.safeParse({ name });
    if (!parsed.success) return setErr(parsed.error.issues[0].message);
    setErr(null);
    create.mutate(parsed.data.name, { onSuccess: () => setName(""), onError: (x) => setErr((x as Error).message) });
  }
  return (
    <section className="section" aria-labelledby="customers-h">
      <h2 id="customers-h">Customers</h2>
      <form className="row" onSubmit={submit} noValidate>
        <input
          type="text"
          aria-label="New customer name"
          placeholder="New customer name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={!!err}
        />
        <Button type="submit" loading={create.isPending}>
          Add customer
        </Button>
        {err && (
          <span className="field-error" role="alert">
            {err}
          </span>
        )}
      </form>
      {error ? (
        <ErrorState error={error} onRetry={onRetry} />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Customers">
            <thead>
              <tr>
                <th>Name</th>
                <th className="num">Users</th>
                <th className="num">Jobs</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {!customers ? (
                <SkeletonRows columns={4} rows={3} />
              ) : (
                customers.map((c) => (
                  <tr key={c.id} data-testid="customer-row">
                    <td>{c.name}</td>
                    <td className="num">{c.user_count}</td>
                    <td className="num">{c.job_count}</td>
                    <td>
                      <RelativeTime iso={c.created_at} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
