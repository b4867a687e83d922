import { redirect } from "next/navigation";
import { JobsView } from "@/components/jobs/jobs-view";
import { currentCaller } from "@/lib/auth/session";
import { jobFiltersToApiQuery, parseJobFilters } from "@/lib/client/job-filters";
import type { JobListResponse } from "@/lib/client/types";
import { getDb } from "@/lib/db/client";
import { listQueryForFilters } from "@/lib/jobs/page-query";
import { listJobs } from "@/lib/jobs/queries";

export const dynamic = "force-dynamic";
export const metadata = { title: "Jobs" };

type SearchParams = Record<string, string | string[] | undefined>;

/** Server-renders the first page for the URL's filters; the client takes over from there. */
export default async function JobsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const caller = await currentCaller();
  if (!caller) redirect("/signin");
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams))
    for (const item of Array.isArray(v) ? v : v ? [v] : []) params.append(k, item);
  const filters = parseJobFilters(params);
  const query = listQueryForFilters(filters);
  // No valid query (e.g. min > max nodes): the client asks the API and shows its message.
  const initial = query
    ? {
        query: JSON.stringify(jobFiltersToApiQuery(filters)),
        data: (await listJobs(await getDb(), caller, query)) as JobListResponse,
      }
    : undefined;
  return <JobsView initial={initial} />;
}
