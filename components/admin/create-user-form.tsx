"use client";
import { useState } from "react";
import { apiFetch, ApiClientError } from "@/lib/client/api-fetch";
import { createUserSchema } from "@/lib/users/schemas";
import type { Role } from "@/lib/auth/roles";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { ROLE_LABEL } from "./labels";
import { useRefreshingMutation } from "@/components/ui/use-refreshing-mutation";
import { ADMIN_LISTS, type AdminCustomer } from "./use-admin";

type Errors = Record<string, string>;

/** New account: email, name, role, initial password; root admins also pick the customer. */
export function CreateUserForm({ roles, customers }: { roles: readonly Role[]; customers: AdminCustomer[] | null }) {
  const empty = { email: "", name: "", role: "user", password: "", customer_id: "" };
  const [f, setF] = useState(empty);
  const [errors, setErrors] = useState<Errors>({});
  const notify = useToast();
  const create = useRefreshingMutation((body: unknown) => apiFetch("/users", { method: "POST", body }), {
    refresh: ADMIN_LISTS,
    notify,
    success: () => `Created ${f.email.trim().toLowerCase()}`,
  });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body = {
      email: f.email,
      name: f.name.trim() || undefined,
      role: f.role,
      password: f.password,
      customer_id: f.customer_id ? Number(f.customer_id) : undefined,
    };
    const parsed = createUserSchema.safeParse(body);
    if (!parsed.success) {
      const out: Errors = {};
      for (const i of parsed.error.issues) out[String(i.path[0] ?? "form")] ??= i.message;
      return setErrors(out);
    }
    if (customers && !body.customer_id) return setErrors({ customer_id: "Choose a customer" });
    setErrors({});
    create.mutate(body, {
      onSuccess: () => setF(empty),
      onError: (err) => {
        const out: Errors = { form: (err as Error).message };
        if (err instanceof ApiClientError && Array.isArray(err.details))
          for (const d of err.details as { field: string | null; message: string }[])
            out[d.field ?? "form"] ??= d.message;
        setErrors(out);
      },
    });
  }
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setF({ ...f, [k]: e.target.value });
  const err = (k: string) => errors[k] && <span className="field-error">{errors[k]}</span>;
  return (
    <form className="card card-pad stack" onSubmit={submit} noValidate aria-labelledby="create-user-h">
      <h2 id="create-user-h">Add a user</h2>
      <div className="form-grid" style={{ maxWidth: "none" }}>
        <div className="two">
          <label className="field">
            <span>Email</span>
            <input
              type="email"
              name="email"
              autoComplete="off"
              value={f.email}
              onChange={set("email")}
              aria-invalid={!!errors.email}
            />
            {err("email")}
          </label>
          <label className="field">
            <span>Name</span>
            <input type="text" name="name" value={f.name} onChange={set("name")} />
            {err("name")}
          </label>
          <label className="field">
            <span>Role</span>
            <select name="role" value={f.role} onChange={set("role")}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
            {err("role")}
          </label>
          <label className="field">
            <span>Initial password</span>
            <input
              type="password"
              name="password"
              autoComplete="new-password"
              value={f.password}
              onChange={set("password")}
              aria-invalid={!!errors.password}
            />
            {err("password")}
          </label>
          {customers && (
            <label className="field">
              <span>Customer</span>
              <select
                name="customer_id"
                value={f.customer_id}
                onChange={set("customer_id")}
                aria-invalid={!!errors.customer_id}
              >
                <option value="">Choose…</option>
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
          Create user
        </Button>
      </div>
    </form>
  );
}
