"use client";
import type { Role } from "@/lib/auth/roles";
import { CreateUserForm } from "./create-user-form";
import { CustomersPanel } from "./customers-panel";
import { UsersTable } from "./users-table";
import { useCustomers } from "./use-admin";

/** Customer admins: their customer's users. Root admins: every customer and user. */
export function AdminView({
  role,
  email,
  assignableRoles,
}: {
  role: Role;
  email: string;
  assignableRoles: readonly Role[];
}) {
  const root = role === "root_admin";
  const customers = useCustomers(root);
  return (
    <div className="stack">
      <CreateUserForm roles={assignableRoles} customers={root ? (customers.data?.results ?? []) : null} />
      <section className="section" aria-labelledby="users-h">
        <h2 id="users-h">Users</h2>
        <UsersTable
          roles={assignableRoles}
          selfEmail={email}
          showCustomerFilter={root}
          customers={customers.data?.results ?? []}
        />
      </section>
      {root && (
        <CustomersPanel
          customers={customers.data?.results}
          error={customers.error}
          onRetry={() => customers.refetch()}
        />
      )}
    </div>
  );
}
