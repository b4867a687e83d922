import { redirect } from "next/navigation";
import { currentCaller } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listJobs } from "@/lib/jobs/queries";
import { listJobsQuerySchema } from "@/lib/jobs/schemas";
import { StateBadge } from "@/components/ui/badge";

export const dynamic = "force-dynamic";
export const metadata = { title: "Jobs" };

export default async function JobsPage() {
  const caller = await currentCaller();
  if (!caller) redirect("/signin");
  const { results, pagination } = await listJobs(await getDb(), caller, listJobsQuerySchema.parse({}));
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Jobs</h1>
          <p>{pagination.total} jobs</p>
        </div>
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead><tr><th>State</th><th>Name</th><th>Nodes</th><th>Tags</th><th>Created</th></tr></thead>
          <tbody>
            {results.map((j) => (
              <tr key={j.id}><td><StateBadge state={j.state} /></td><td><a href={`/jobs/${j.id}`}>{j.name}</a></td><td>{j.current_nodes}/{j.node_count}</td><td>{j.tags.join(", ")}</td><td>{j.created_at}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
