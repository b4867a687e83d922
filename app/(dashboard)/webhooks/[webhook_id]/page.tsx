import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { currentCaller } from "@/lib/auth/session";
import { scopeOf } from "@/lib/auth/permissions";
import { DeliveryLog } from "@/components/webhooks/delivery-log";
import "../../pages.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Webhook deliveries" };

export default async function WebhookDeliveriesPage({ params }: { params: Promise<{ webhook_id: string }> }) {
  const caller = await currentCaller();
  if (!caller) redirect("/signin");
  if (scopeOf(caller.role, "manage_webhooks") === "none") redirect("/webhooks");
  const { webhook_id } = await params;
  if (!/^\d{1,9}$/.test(webhook_id)) notFound();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Delivery log</h1>
          <p>
            <Link href="/webhooks">← Webhooks</Link>
          </p>
        </div>
      </div>
      <DeliveryLog webhookId={Number(webhook_id)} />
    </>
  );
}
