import { redirect } from "next/navigation";
import { currentCaller } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { listJobs } from "@/lib/jobs/queries";
import { listJobsQuerySchema } from "@/lib/jobs/schemas";

export const dynamic = "force-dynamic";

export default async function JobsPage() {
  const caller = await currentCaller();
  if (!caller) redirect("/signin");
  const { results, pagination } = await listJobs(await getDb(), caller, listJobsQuerySchema.parse({}));
  return (
    <main style={{ padding: 24 }}>
      <h1>Jobs</h1>
      <p style={{ color: "var(--muted)" }}>{pagination.total} jobs · signed in as {caller.email} ({caller.role}) · <a href="/api/auth/signout">Sign out</a></p>
      <table>
        <thead><tr><th>Name</th><th>State</th><th>Nodes</th><th>Tags</th><th>Created</th></tr></thead>
        <tbody>
          {results.map((j) => (
            <tr key={j.id}><td>{j.name}</td><td>{j.state}</td><td>{j.current_nodes}/{j.node_count}</td><td>{j.tags.join(", ")}</td><td>{j.created_at}</td></tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
