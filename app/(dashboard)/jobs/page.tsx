import { redirect } from "next/navigation";
import { JobsView } from "@/components/jobs/jobs-view";
import { ValidationError } from "@/lib/api/errors";
import { parseQuery } from "@/lib/api/parse";
import { currentCaller } from "@/lib/auth/session";
import { apiUrl } from "@/lib/client/api-fetch";
import { jobFiltersToApiQuery, parseJobFilters } from "@/lib/client/job-filters";
import type { JobListResponse } from "@/lib/client/types";
import { getDb } from "@/lib/db/client";
import { listJobs } from "@/lib/jobs/queries";
import { LIST_QUERY_OPTIONS, listJobsQuerySchema } from "@/lib/jobs/schemas";

export const dynamic = "force-dynamic";
export const metadata = { title: "Jobs" };

type SearchParams = Record<string, string | string[] | undefined>;

/** Server-renders the first page for the URL's filters; the client takes over from there. */
export default async function JobsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const caller = await currentCaller();
  if (!caller) redirect("/signin");
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) for (const item of Array.isArray(v) ? v : v ? [v] : []) params.append(k, item);
  const query = jobFiltersToApiQuery(parseJobFilters(params));
  let initial: { query: string; data: JobListResponse } | undefined;
  try {
    // Parsed exactly as GET /jobs parses it, from the URL the client would call.
    const q = parseQuery(listJobsQuerySchema, new URL(apiUrl("/jobs", query), "http://local"), LIST_QUERY_OPTIONS);
    initial = { query: JSON.stringify(query), data: (await listJobs(await getDb(), caller, q)) as unknown as JobListResponse };
  } catch (e) {
    // Invalid filter combinations (e.g. min > max nodes): the client asks the API and shows its message.
    if (!(e instanceof ValidationError)) throw e;
  }
  return <JobsView initial={initial} />;
}
