import { z } from "../validation/zod";
import { registerNodeSchema } from "../agent/schemas";
import { queryInt, tagSchema } from "../jobs/schemas";

/**
 * Enrolled machines (agent service mode): enrollment tokens, the service agent's own
 * endpoints and the admin's machine controls. The handlers, OpenAPI and the dashboard share these.
 */

const customerIdSchema = z
  .int("customer_id must be an integer")
  .min(1, "customer_id must be positive")
  .max(2_147_483_647, "customer_id must be <= 2147483647");

export const createEnrollmentTokenSchema = z.object({
  name: z
    .string("name is required")
    .trim()
    .min(1, "name must not be empty")
    .max(100, "name must be at most 100 characters")
    .describe("What the token is for, e.g. the rack or the provisioning system that uses it"),
  customer_id: customerIdSchema
    .optional()
    .describe("Root admins: the customer whose machines enroll with it (default: their own)"),
});
export type CreateEnrollmentTokenInput = z.output<typeof createEnrollmentTokenSchema>;

export const listEnrollmentTokensQuerySchema = z.object({
  customer_id: queryInt(1, 2_147_483_647, "customer_id").optional(),
});
export type ListEnrollmentTokensQuery = z.output<typeof listEnrollmentTokensQuerySchema>;

export const enrollmentTokenIdParamSchema = z.object({
  token_id: z
    .string()
    .regex(/^\d{1,9}$/, "token_id must be a positive integer")
    .transform(Number),
});

/** POST /agents/enroll: the machine as the one-off agent registers a node, plus the agent's version. */
export const enrollMachineSchema = registerNodeSchema.omit({ agent_endpoint: true }).extend({
  agent_version: z.string().trim().max(50).optional(),
});
export type EnrollMachineInput = z.output<typeof enrollMachineSchema>;

export const AGENT_STATES = ["idle", "busy"] as const;
/** What the fleet shows: what the agent said, or offline when it went silent. */
export const AGENT_STATUSES = ["idle", "busy", "offline"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const agentWorkQuerySchema = z.object({
  wait: queryInt(0, 300, "wait").optional(),
});

export const agentHeartbeatSchema = z.object({
  state: z.enum(AGENT_STATES, { message: `state must be one of ${AGENT_STATES.join(", ")}` }),
});

export const MAX_MACHINE_LABELS = 20;
export const machineLabelsSchema = z.object({
  labels: z
    .array(tagSchema)
    .max(MAX_MACHINE_LABELS, `At most ${MAX_MACHINE_LABELS} labels`)
    .transform((l) => [...new Set(l)])
    .describe("The machine's labels; a schedule's target.tags matches them"),
});
export type MachineLabelsInput = z.output<typeof machineLabelsSchema>;
