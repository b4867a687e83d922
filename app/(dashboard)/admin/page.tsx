import { redirect } from "next/navigation";
import { currentCaller } from "@/lib/auth/session";
import { assignableRoles } from "@/lib/users/policy";
import { scopeOf } from "@/lib/auth/permissions";
import { AdminView } from "@/components/admin/admin-view";
import "../pages.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Admin" };

export default async function AdminPage() {
  const caller = await currentCaller();
  if (!caller) redirect("/signin");
  if (scopeOf(caller.role, "manage_users") === "none") {
    return (
      <div className="state-box error" role="alert" data-testid="forbidden">
        <h1>403 — Not allowed</h1>
        <p>
          Only customer admins and root admins manage users. Ask your customer admin if you need an account changed.
        </p>
      </div>
    );
  }
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Admin</h1>
          <p>{caller.role === "root_admin" ? "Every customer and user." : "Users of your customer."}</p>
        </div>
      </div>
      <AdminView role={caller.role} email={caller.email} assignableRoles={assignableRoles(caller)} />
    </>
  );
}
