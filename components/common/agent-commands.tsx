"use client";
import { useEffect, useState } from "react";
import { CopyField } from "./copy-button";

/** The exact commands that run a job's agent: on a real GPU node, and simulated nodes anywhere. */
export function agentCommands(origin: string, token: string, nodeCount: number) {
  const base = `npm run agent -- --url ${origin} --token ${token}`;
  return {
    real: `${base} --bench-cmd ./run-benchmark`,
    simulate: `${base} --simulate --nodes ${nodeCount}`,
  };
}

export function AgentCommands({ token, nodeCount }: { token: string; nodeCount: number }) {
  // The dashboard's own origin is what agents reach; known only in the browser.
  const [origin, setOrigin] = useState("http://localhost:3000");
  useEffect(() => setOrigin(window.location.origin), []);
  const cmd = agentCommands(origin, token, nodeCount);
  return (
    <div className="agent-commands">
      <div>
        <div className="field-label">Job token</div>
        <CopyField value={token} label="Copy job token" testId="job-token" />
      </div>
      <div>
        <div className="field-label">Run the agent on each of the {nodeCount} GPU node{nodeCount === 1 ? "" : "s"}</div>
        <CopyField value={cmd.real} label="Copy agent command" testId="agent-command" />
      </div>
      <div>
        <div className="field-label">Or play simulated nodes from any machine</div>
        <CopyField value={cmd.simulate} label="Copy simulated agent command" testId="agent-simulate-command" />
      </div>
    </div>
  );
}
