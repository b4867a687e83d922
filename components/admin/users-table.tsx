"use client";
import { useState } from "react";
import { apiFetch } from "@/lib/client/api-fetch";
import type { Role } from "@/lib/auth/roles";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState, SkeletonRows } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { ROLE_LABEL } from "./labels";
import { useRefreshingMutation } from "@/components/ui/use-refreshing-mutation";
import { ADMIN_LISTS, useUsers, type AdminUser } from "./use-admin";

type Patch = { id: number; email: string; body: Record<string, unknown> };

export function UsersTable({
  roles,
  selfEmail,
  showCustomerFilter,
  customers,
}: {
  roles: readonly Role[];
  selfEmail: string;
  showCustomerFilter: boolean;
  customers: { id: number; name: string }[];
}) {
  const [filters, setFilters] = useState({ q: "", customer_id: "" });
  const users = useUsers(filters);
  const notify = useToast();
  const [toggle, setToggle] = useState<AdminUser | null>(null);
  const [resetFor, setResetFor] = useState<AdminUser | null>(null);
  const [password, setPassword] = useState("");
  const patch = useRefreshingMutation((p: Patch) => apiFetch(`/users/${p.id}`, { method: "PATCH", body: p.body }), {
    refresh: ADMIN_LISTS,
    notify,
    success: (p) =>
      p.body.active === false
        ? `Deactivated ${p.email}`
        : p.body.active === true
          ? `Reactivated ${p.email}`
          : p.body.password
            ? `Password reset for ${p.email}`
            : `Updated ${p.email}`,
  });
  const run = (p: Patch, done?: () => void) =>
    patch.mutate(p, {
      onError: (e) => notify({ kind: "error", title: "Update refused", message: (e as Error).message }),
      onSettled: done,
    });

  return (
    <div className="stack">
      <div className="row" role="group" aria-label="User filters">
        <input
          type="search"
          aria-label="Search users by email or name"
          placeholder="Search email or name"
          value={filters.q}
          onChange={(e) => setFilters({ ...filters, q: e.target.value })}
        />
        {showCustomerFilter && (
          <select
            aria-label="Filter users by customer"
            value={filters.customer_id}
            onChange={(e) => setFilters({ ...filters, customer_id: e.target.value })}
          >
            <option value="">All customers</option>
            {customers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
        {users.data && <span className="muted">{users.data.pagination.total} users</span>}
      </div>
      {users.isError ? (
        <ErrorState error={users.error} onRetry={() => users.refetch()} />
      ) : users.data?.results.length === 0 ? (
        <EmptyState title="No users match" />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Users">
            <thead>
              <tr>
                <th>Email</th>
                <th>Name</th>
                <th>Customer</th>
                <th>Role</th>
                <th>Status</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {!users.data ? (
                <SkeletonRows columns={6} />
              ) : (
                users.data.results.map((u) => {
                  const self = u.email === selfEmail;
                  const manageable = roles.includes(u.role as Role);
                  return (
                    <tr key={u.id} data-testid="user-row" data-email={u.email}>
                      <td>
                        {u.email}
                        {self && <span className="muted"> (you)</span>}
                      </td>
                      <td>{u.name ?? <span className="muted">—</span>}</td>
                      <td>{u.customer}</td>
                      <td>
                        {manageable && !self ? (
                          <select
                            aria-label={`Role of ${u.email}`}
                            value={u.role}
                            disabled={patch.isPending}
                            onChange={(e) => run({ id: u.id, email: u.email, body: { role: e.target.value } })}
                          >
                            {roles.map((r) => (
                              <option key={r} value={r}>
                                {ROLE_LABEL[r]}
                              </option>
                            ))}
                          </select>
                        ) : (
                          (ROLE_LABEL[u.role as Role] ?? u.role)
                        )}
                      </td>
                      <td>
                        {u.active ? <Badge tone="success">Active</Badge> : <Badge tone="danger">Deactivated</Badge>}
                      </td>
                      <td>
                        {manageable && (
                          <div className="row" style={{ flexWrap: "nowrap" }}>
                            {!self && (
                              <Button
                                size="sm"
                                variant={u.active ? "danger" : "default"}
                                onClick={() => setToggle(u)}
                                aria-label={`${u.active ? "Deactivate" : "Reactivate"} ${u.email}`}
                              >
                                {u.active ? "Deactivate" : "Reactivate"}
                              </Button>
                            )}
                            <Button
                              size="sm"
                              onClick={() => {
                                setPassword("");
                                setResetFor(u);
                              }}
                              aria-label={`Reset password of ${u.email}`}
                            >
                              Reset password
                            </Button>
                          </div>
                        )}
                      </td>
                    </tr>
                  );
                })
              )}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={!!toggle}
        title={toggle?.active ? "Deactivate this user?" : "Reactivate this user?"}
        message={
          toggle?.active
            ? `${toggle?.email} is signed out at once and can no longer sign in or use API tokens.`
            : `${toggle?.email} can sign in again.`
        }
        confirmLabel={toggle?.active ? "Deactivate" : "Reactivate"}
        danger={!!toggle?.active}
        pending={patch.isPending}
        onConfirm={() =>
          toggle && run({ id: toggle.id, email: toggle.email, body: { active: !toggle.active } }, () => setToggle(null))
        }
        onCancel={() => setToggle(null)}
      />
      <Dialog
        open={!!resetFor}
        onClose={() => setResetFor(null)}
        title={`Reset password of ${resetFor?.email ?? ""}`}
        actions={
          <>
            <Button onClick={() => setResetFor(null)}>Cancel</Button>
            <Button
              variant="primary"
              loading={patch.isPending}
              disabled={password.length < MIN_PASSWORD_LENGTH}
              onClick={() =>
                resetFor && run({ id: resetFor.id, email: resetFor.email, body: { password } }, () => setResetFor(null))
              }
            >
              Set password
            </Button>
          </>
        }
      >
        <label className="field">
          <span>New password (at least {MIN_PASSWORD_LENGTH} characters)</span>
          <input
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
      </Dialog>
    </div>
  );
}
