// GET /webhooks/{webhook_id}/deliveries – the webhook's latest deliveries with every attempt
import { withApi } from "@/lib/api/with-api";
import { parseQuery, parseWith } from "@/lib/api/parse";
import { listDeliveriesQuerySchema, webhookIdParamSchema } from "@/lib/webhooks/schemas";
import { listDeliveries } from "@/lib/webhooks/service";

export const GET = withApi<{ webhook_id: string }>(async ({ params, url, db, caller }) =>
  listDeliveries(
    db,
    caller,
    parseWith(webhookIdParamSchema, params).webhook_id,
    parseQuery(listDeliveriesQuerySchema, url),
  ),
);
