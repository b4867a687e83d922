// POST /webhooks/{webhook_id}/test – queue a webhook.test delivery to this webhook
import { withApi } from "@/lib/api/with-api";
import { json } from "@/lib/api/respond";
import { parseWith } from "@/lib/api/parse";
import { webhookIdParamSchema } from "@/lib/webhooks/schemas";
import { sendTestEvent } from "@/lib/webhooks/service";

export const POST = withApi<{ webhook_id: string }>(async ({ params, db, caller }) =>
  json(await sendTestEvent(db, caller, parseWith(webhookIdParamSchema, params).webhook_id), { status: 202 }),
);
