import { withPublicApi } from "@/lib/api/with-api";
import { NotFoundError } from "@/lib/api/errors";

// Unknown API paths answer in the documented error format (with X-Request-Id and rate-limit
// headers) instead of the dashboard's HTML 404 page.
const notFound = withPublicApi<{ path: string[] }>(async ({ req, url }) => {
  throw new NotFoundError(`No API endpoint ${req.method} ${url.pathname}`);
});
export {
  notFound as GET,
  notFound as POST,
  notFound as PUT,
  notFound as PATCH,
  notFound as DELETE,
  notFound as OPTIONS,
};
