"use client";
import { useOrigin } from "@/components/ui/browser-state";
import { CopyField } from "./copy-button";

const AGENT_FILE = "benchboard-agent.mjs";

/** The exact commands that run a job's agent: the one-file agent on a real GPU node, and simulated nodes anywhere. */
export function agentCommands(origin: string, token: string, nodeCount: number) {
  const run = `node ${AGENT_FILE} --url ${origin} --token ${token}`;
  const download = `curl -fsSLO ${origin}/agent/${AGENT_FILE}`;
  return {
    real: `${download} && ${run}`,
    simulate: `${download} && ${run} --simulate --nodes ${nodeCount}`,
  };
}

export function AgentCommands({
  token,
  nodeCount,
  agentSha256,
}: {
  token: string;
  nodeCount: number;
  agentSha256: string | null;
}) {
  // The dashboard's own origin is what agents reach; known only in the browser.
  const origin = useOrigin();
  const cmd = agentCommands(origin, token, nodeCount);
  return (
    <div className="agent-commands">
      <div>
        <div className="field-label">Job token</div>
        <CopyField value={token} label="Copy job token" testId="job-token" />
      </div>
      <div>
        <div className="field-label">
          Run the agent on each of the {nodeCount} GPU node{nodeCount === 1 ? "" : "s"} (Node.js ≥ 20, NVIDIA driver,
          python3 with PyTorch)
        </div>
        <CopyField value={cmd.real} label="Copy agent command" testId="agent-command" />
      </div>
      <div>
        <div className="field-label">
          SHA-256 of {AGENT_FILE} (check with <code>sha256sum -c</code>)
        </div>
        {agentSha256 ? (
          <CopyField value={`${agentSha256}  ${AGENT_FILE}`} label="Copy agent checksum" testId="agent-sha256" />
        ) : (
          <p className="muted" data-testid="agent-sha256">
            The agent bundle is not built on this server: run <code>npm run build:agent</code>.
          </p>
        )}
      </div>
      <div>
        <div className="field-label">Or play simulated nodes from any machine</div>
        <CopyField value={cmd.simulate} label="Copy simulated agent command" testId="agent-simulate-command" />
      </div>
    </div>
  );
}
