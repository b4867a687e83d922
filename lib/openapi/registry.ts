import type { z } from "../validation/zod";

/** Who may call an endpoint: maps to the document's security requirements. */
export type RouteAuth = "public" | "optional-user" | "user" | "job" | "enrollment" | "machine" | "metrics" | "session";

/**
 * One documented endpoint. Schemas are the same zod schemas the handlers parse with, so the
 * document cannot drift from validation.
 */
export interface ApiRouteDoc {
  /**
   * The operation's name in generated clients (camelCase verb + noun: listJobs, cancelJob).
   * Named here rather than derived from the path so that renaming a path never renames a
   * client method, and each new route has to choose one (test/openapi.test.ts: unique, camelCase).
   */
  operationId: string;
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Full path with {param} placeholders, e.g. /api/silicon-mark/v1/jobs/{job_id}. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth: RouteAuth;
  /** Path parameters (an object schema); undeclared placeholders are documented as strings. */
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** How the body is sent; JSON unless said otherwise. */
  bodyType?: "json" | "form";
  /** Success answer: a schema for JSON, or a media type for other content. */
  response?: z.ZodType | { mediaType: string; description: string };
  /** Success status (default 200). */
  status?: number;
  /** Extra documented error statuses besides the ones every endpoint may answer. */
  errors?: number[];
  /**
   * Why the endpoint never answers a 4xx (health probes, next-auth's own session routes).
   * Required to leave out every client error; lint (redocly.yaml) checks the rest have one.
   */
  noClientErrors?: string;
}
