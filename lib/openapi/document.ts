import { z } from "../validation/zod";
import { API_VERSION, readAppVersion } from "../ops/server-info";
import type { ApiRouteDoc, RouteAuth } from "./registry";
import { errorSchema } from "./responses";
import { apiRoutes } from "./routes";

type Json = Record<string, unknown>;

const TAGS = [
  { name: "Auth", description: "Access tokens (OAuth2 password flow) and the dashboard's session" },
  {
    name: "Jobs",
    description: "Benchmark jobs (SiliconMark Jobs API, docs/api-contract.md) and the benchmark catalog",
  },
  {
    name: "Tasks",
    description:
      "Tasks (one node's part of a job) as SiliconMark's Tasks API lists them, with each task's result summary",
  },
  { name: "Reports", description: "PDF reports, result archives and results as their own resource" },
  { name: "Fleet", description: "Machines seen by the agents and their history" },
  { name: "Admin", description: "Users and customers, for customer admins and root admins" },
  {
    name: "Webhooks",
    description:
      'Signed event deliveries to customers\' URLs (job.*, node.*), their delivery log and redelivery; docs/api-contract.md, "Webhooks"',
  },
  { name: "Agent", description: "Agent protocol: job-token endpoints used by the nodes of one job" },
  {
    name: "Service agents",
    description:
      "Extension: enrolled machines' service agents (agent service mode) — enrollment, the long-poll for work, heartbeats",
  },
  { name: "Schedules", description: "Extension: jobs created on a cron schedule for enrolled machines" },
  { name: "Operations", description: "Server check, metrics, health probes, this document" },
];

const SECURITY: Record<RouteAuth, Json[]> = {
  public: [],
  "optional-user": [{}, { bearerAuth: [] }, { sessionCookie: [] }],
  user: [{ bearerAuth: [] }, { sessionCookie: [] }],
  job: [{ jobToken: [] }],
  enrollment: [{ enrollmentToken: [] }],
  machine: [{ machineCredential: [] }],
  metrics: [{}, { metricsToken: [] }],
  session: [{ sessionCookie: [] }],
};

/** Statuses next-auth's credentials callback answers (401 wrong password, 403 refused). */
const NEXT_AUTH_ERRORS = [401, 403];

const ERROR_TEXT: Record<number, string> = {
  400: "Invalid parameters or body (PARAMETER_INCORRECT_VALUE, INVALID_JOB_STATE)",
  401: "Missing or invalid credentials (CLIENT_TOKEN_INVALID)",
  403: "Not allowed (PERMISSION_DENIED)",
  404: "Not found (RESOURCE_NOT_FOUND)",
  409: "Conflicts with the current state",
  413: "Body too large (PAYLOAD_TOO_LARGE)",
  415: "Body is not application/json (UNSUPPORTED_MEDIA_TYPE)",
  422: "Node does not meet the job's requirements",
  429: "Rate limited (RATE_LIMITED); see Retry-After",
  500: "Internal error (INTERNAL_ERROR)",
  503: "A dependency is unavailable",
};

/** zod → JSON Schema 2020-12, the dialect of OpenAPI 3.1. Inputs are described as sent. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Json;
  return rest;
}

function parameters(route: ApiRouteDoc): Json[] {
  const out: Json[] = [];
  const pathProps = (route.params ? jsonSchema(route.params, "input").properties : {}) as Record<string, Json>;
  for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
    out.push({ name, in: "path", required: true, schema: pathProps[name] ?? { type: "string" } });
  }
  if (route.query) {
    const q = jsonSchema(route.query, "input");
    const required = new Set((q.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((q.properties ?? {}) as Record<string, Json>)) {
      const isArray = schema.type === "array";
      out.push({
        name,
        in: "query",
        required: required.has(name),
        schema,
        ...(typeof schema.description === "string" ? { description: schema.description } : {}),
        ...(isArray ? { style: "form", explode: true } : {}),
      });
    }
  }
  return out;
}

// Endpoints served by the API wrapper carry these headers; next-auth's own routes do not.
const wrapped = (route: ApiRouteDoc) => !route.path.startsWith("/api/auth/");
const limited = (route: ApiRouteDoc) => wrapped(route) && !route.path.startsWith("/api/health/");

function successHeaders(route: ApiRouteDoc): Json {
  if (!wrapped(route)) return {};
  const headers: Json = { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } };
  if (limited(route)) {
    for (const h of ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"])
      headers[h] = { $ref: `#/components/headers/${h}` };
  }
  return { headers };
}

function responses(route: ApiRouteDoc): Json {
  const out: Json = {};
  const r = route.response;
  const content =
    r === undefined
      ? undefined
      : "mediaType" in r && typeof r.mediaType === "string"
        ? { [r.mediaType]: { schema: { type: "string", description: r.description } } }
        : { "application/json": { schema: jsonSchema(r as z.ZodType, "output") } };
  out[String(route.status ?? 200)] = {
    description: route.summary,
    ...successHeaders(route),
    ...(content ? { content } : {}),
  };
  if (!wrapped(route)) {
    // next-auth's own routes answer errors its way: the URL of its error page.
    for (const status of route.errors ?? [])
      out[String(status)] = { $ref: `#/components/responses/NextAuthError${status}` };
    return out;
  }
  const errors = new Set(route.errors ?? []);
  if (route.params || route.query || route.body) errors.add(400);
  if (route.body && route.bodyType !== "form") errors.add(415);
  if (route.auth !== "public") errors.add(401);
  if (route.body && route.bodyType !== "form") errors.add(413); // readJson's size limit
  if (limited(route)) errors.add(429);
  errors.add(500);
  for (const status of [...errors].sort()) out[String(status)] = { $ref: `#/components/responses/Error${status}` };
  return out;
}

function requestBody(route: ApiRouteDoc): Json | undefined {
  if (!route.body) return undefined;
  const media = route.bodyType === "form" ? "application/x-www-form-urlencoded" : "application/json";
  return { required: true, content: { [media]: { schema: jsonSchema(route.body, "input") } } };
}

function operation(route: ApiRouteDoc): Json {
  const body = requestBody(route);
  const params = parameters(route);
  return {
    ...(route.noClientErrors ? { "x-no-client-errors": route.noClientErrors } : {}),
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    security: SECURITY[route.auth],
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(route),
  };
}

function components(): Json {
  const errorResponses: Json = {};
  for (const [status, description] of Object.entries(ERROR_TEXT)) {
    errorResponses[`Error${status}`] = {
      description,
      headers: { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } },
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  for (const status of NEXT_AUTH_ERRORS) {
    errorResponses[`NextAuthError${status}`] = {
      description: `${ERROR_TEXT[status].replace(/ \(.*\)$/, "")} (next-auth: the URL of its error page, e.g. ?error=CredentialsSignin)`,
      content: {
        "application/json": { schema: { type: "object", properties: { url: { type: "string" } }, required: ["url"] } },
      },
    };
  }
  const intHeader = (description: string) => ({ description, schema: { type: "integer" } });
  return {
    schemas: { Error: jsonSchema(errorSchema, "output") },
    responses: errorResponses,
    headers: {
      "X-Request-Id": {
        description: "Request id (echoes a well-formed X-Request-Id sent by the client); also in error bodies",
        schema: { type: "string" },
      },
      "X-RateLimit-Limit": intHeader("Requests allowed in the current window for this client and endpoint class"),
      "X-RateLimit-Remaining": intHeader("Requests left in the current window"),
      "X-RateLimit-Reset": intHeader("When the window resets, epoch seconds"),
    },
    securitySchemes: {
      bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Access token from POST /token" },
      sessionCookie: {
        type: "apiKey",
        in: "cookie",
        name: "next-auth.session-token",
        description: "The dashboard's session",
      },
      jobToken: {
        type: "http",
        scheme: "bearer",
        description: "A job's token (from POST /jobs); opens only that job's agent endpoints",
      },
      enrollmentToken: {
        type: "http",
        scheme: "bearer",
        description: "An enrollment token (from POST /enrollment-tokens); enrolls machines with its customer",
      },
      machineCredential: {
        type: "http",
        scheme: "bearer",
        description: "An enrolled machine's own credential (from POST /agents/enroll); opens the /agents endpoints",
      },
      metricsToken: { type: "http", scheme: "bearer", description: "METRICS_TOKEN, when the operator set one" },
    },
  };
}

/** Builds the OpenAPI 3.1 document from a route registry (default: every endpoint). */
export function buildOpenApiDocument(routes: ApiRouteDoc[] = apiRoutes): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Benchboard API",
      version: readAppVersion(),
      // No open-source license has been granted; LicenseRef- is SPDX's form for such terms.
      license: { name: "Proprietary, all rights reserved", identifier: "LicenseRef-Proprietary" },
      description: `Benchboard Jobs API (SiliconMark Jobs API compatible, ${API_VERSION}). Errors are {"error":{"code","message","details"?,"request_id"}}.`,
    },
    servers: [{ url: "/", description: "The server that serves this document" }],
    tags: TAGS,
    paths,
    components: components(),
  };
}

let cached: Json | undefined;
/** The document of this build, computed once per process. */
export function openApiDocument(): Json {
  cached ??= buildOpenApiDocument();
  return cached;
}
