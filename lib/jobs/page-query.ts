import { ValidationError } from "../api/errors";
import { parseQuery } from "../api/parse";
import { apiUrl } from "../client/api-fetch";
import { jobFiltersToApiQuery, type JobFilters } from "../client/job-filters";
import { LIST_QUERY_OPTIONS, listJobsQuerySchema, type ListJobsQuery } from "./schemas";

/**
 * The Jobs page's server render lists the first page itself. It parses the very URL the
 * browser will ask `GET /jobs` for, with the route's own schema, so the rendered rows are
 * the rows the client would fetch. Null when the API would refuse the filters (say, more
 * nodes at least than at most): the page then renders no rows and the client shows the
 * API's message.
 */
export function listQueryForFilters(filters: JobFilters): ListJobsQuery | null {
  const url = new URL(apiUrl("/jobs", jobFiltersToApiQuery(filters)), "http://server-render");
  try {
    return parseQuery(listJobsQuerySchema, url, LIST_QUERY_OPTIONS);
  } catch (e) {
    if (e instanceof ValidationError) return null;
    throw e;
  }
}
