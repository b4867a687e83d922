// GET /webhooks – the caller's customer's webhooks (root admins: all); POST – create one, answering its secret once
import { withApi } from "@/lib/api/with-api";
import { json } from "@/lib/api/respond";
import { parseJson } from "@/lib/api/parse";
import { createWebhookSchema } from "@/lib/webhooks/schemas";
import { createWebhook, listWebhooks } from "@/lib/webhooks/service";

export const GET = withApi(async ({ db, caller }) => listWebhooks(db, caller));

export const POST = withApi(async ({ req, db, caller }) =>
  json(await createWebhook(db, caller, await parseJson(createWebhookSchema, req)), { status: 201 }),
);
