import { redirect } from "next/navigation";
import { currentCaller } from "@/lib/auth/session";
import { scopeOf } from "@/lib/auth/permissions";
import { WebhooksView } from "@/components/webhooks/webhooks-view";
import "../pages.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const caller = await currentCaller();
  if (!caller) redirect("/signin");
  const scope = scopeOf(caller.role, "manage_webhooks");
  if (scope === "none") {
    return (
      <div className="state-box error" role="alert" data-testid="forbidden">
        <h1>403 — Not allowed</h1>
        <p>Only customer admins and root admins manage webhooks.</p>
      </div>
    );
  }
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Webhooks</h1>
          <p>
            Signed HTTP deliveries when jobs end, underperform, or machines regress, turn suspect or are quarantined
            {scope === "all" ? " — for every customer." : "."}
          </p>
        </div>
      </div>
      <WebhooksView root={scope === "all"} />
    </>
  );
}
