import { JobDetailView } from "@/components/job-detail/job-detail-view";
import { agentBundleSha256 } from "@/lib/agent/bundle";
import "../../pages.css";

export const metadata = { title: "Job" };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <JobDetailView id={id} agentSha256={agentBundleSha256()} />;
}
