import { withPublicApi } from "@/lib/api/with-api";
import { openApiDocument } from "@/lib/openapi/document";

// The OpenAPI 3.1 document, generated from the route registry and its zod schemas.
export const GET = withPublicApi(async () => openApiDocument());
