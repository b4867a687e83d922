import { NewJobForm } from "@/components/new-job/new-job-form";
import { agentBundleSha256 } from "@/lib/agent/bundle";
import "../../pages.css";

export const metadata = { title: "New job" };

export default function NewJobPage() {
  return (
    <>
      <div className="page-header">
        <div>
          <h1>New job</h1>
          <p>Pick benchmarks and nodes; you get a token for the agents.</p>
        </div>
      </div>
      <NewJobForm agentSha256={agentBundleSha256()} />
    </>
  );
}
