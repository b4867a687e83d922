import { z } from "../validation/zod";
import { EVENT_TYPES, eventEnvelopeSchema } from "../events/outbox";
import { bigintIdString } from "../api/ids";
import { queryInt } from "../jobs/schemas";

/** Webhook payloads: the handlers, the OpenAPI document and the webhooks page validate with these. */

export const WEBHOOK_FORMATS = ["json", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The event a test delivery carries; only sent on request, never subscribed to. */
export const TEST_EVENT_TYPE = "webhook.test";

/**
 * http(s) only — no file:, javascript: or other schemes the server could be tricked into — and
 * no credentials in the URL, where they would be shown in lists and logs; a receiver
 * authenticates the sender by the signature instead.
 */
export const webhookUrlSchema = z
  .string("url must be a string")
  .trim()
  .min(1, "url must not be empty")
  .max(2000, "url must be at most 2000 characters")
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "url must be an absolute http:// or https:// URL" });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      ctx.addIssue({ code: "custom", message: `url must use http or https, not ${url.protocol.replace(":", "")}` });
    else if (url.username || url.password)
      ctx.addIssue({
        code: "custom",
        message: "url must not contain a user name or password; receivers verify the signature instead",
      });
    else if (!url.hostname) ctx.addIssue({ code: "custom", message: "url must name a host" });
  });

export const webhookEventsSchema = z
  .array(z.enum(EVENT_TYPES, { message: `each event must be one of ${EVENT_TYPES.join(", ")}` }), {
    message: "events must be a list of event types",
  })
  .min(1, "events must name at least one event type")
  .transform((events) => [...new Set(events)]);

export const createWebhookSchema = z
  .object({
    url: webhookUrlSchema,
    events: webhookEventsSchema,
    secret: z
      .string("secret must be a string")
      .min(16, "secret must be at least 16 characters")
      .max(200, "secret must be at most 200 characters")
      .regex(/^[\x21-\x7e]+$/, "secret must be printable ASCII without spaces")
      .optional()
      .describe("HMAC key of the signature; generated when omitted. Answered once, by this request only"),
    format: z
      .enum(WEBHOOK_FORMATS, { message: "format must be json or slack" })
      .default("json")
      .describe("json: the event envelope; slack: a Slack incoming-webhook message summarising it"),
    /** Root admins: the customer whose events it receives (default: their own). */
    customer_id: z
      .int("customer_id must be an integer")
      .min(1, "customer_id must be positive")
      .max(2_147_483_647, "customer_id must be <= 2147483647")
      .optional(),
  })
  .strict();
export type CreateWebhookRequest = z.output<typeof createWebhookSchema>;

export const webhookIdParamSchema = z.object({
  webhook_id: z
    .string()
    .regex(/^\d{1,9}$/, "webhook_id must be a positive integer")
    .transform(Number),
});

export const deliveryParamSchema = webhookIdParamSchema.extend({
  delivery_id: bigintIdString("delivery_id"),
});

export const listDeliveriesQuerySchema = z.object({
  limit: queryInt(1, 200, "limit").default(50),
});

/** A delivery's body in the json format: the outbox envelope, or the test event's. */
export const deliveryBodySchema = eventEnvelopeSchema.extend({
  type: z.enum([...EVENT_TYPES, TEST_EVENT_TYPE]),
});
