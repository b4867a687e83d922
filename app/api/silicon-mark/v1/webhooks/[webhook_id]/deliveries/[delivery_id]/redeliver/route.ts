// POST /webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver – send a delivery again (a new attempt)
import { withApi } from "@/lib/api/with-api";
import { json } from "@/lib/api/respond";
import { parseWith } from "@/lib/api/parse";
import { deliveryParamSchema } from "@/lib/webhooks/schemas";
import { redeliver } from "@/lib/webhooks/service";

export const POST = withApi<{ webhook_id: string; delivery_id: string }>(async ({ params, db, caller }) => {
  const { webhook_id, delivery_id } = parseWith(deliveryParamSchema, params);
  return json(await redeliver(db, caller, webhook_id, delivery_id), { status: 202 });
});
