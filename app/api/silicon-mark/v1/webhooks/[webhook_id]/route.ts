// DELETE /webhooks/{webhook_id} – delete a webhook with its delivery log
import { withApi } from "@/lib/api/with-api";
import { parseWith } from "@/lib/api/parse";
import { webhookIdParamSchema } from "@/lib/webhooks/schemas";
import { deleteWebhook } from "@/lib/webhooks/service";

export const DELETE = withApi<{ webhook_id: string }>(async ({ params, db, caller }) =>
  deleteWebhook(db, caller, parseWith(webhookIdParamSchema, params).webhook_id),
);
