/**
 * The join spread the server offers a job's agents (GET /jobs/current `extensions.join_spread`)
 * and the agent honours (agent/run-node.ts registerNode). Kept free of other imports: the
 * one-file agent bundles it.
 *
 * docs/performance-budget.md, "Many nodes at once": about 4 ms of server work per join on
 * 2 cores, so 10 ms per node leaves the server idle between joins instead of queueing them.
 */
const JOIN_SPREAD_MS_PER_NODE = 10;
/** The longest wait offered, and the longest an agent accepts from any server. */
export const JOIN_SPREAD_MAX_MS = 10_000;

/** The join spread offered to a job of `nodeCount` nodes (none for a single node). */
export function joinSpread(nodeCount: number): { max_ms: number } | undefined {
  return nodeCount > 1 ? { max_ms: Math.min(JOIN_SPREAD_MAX_MS, JOIN_SPREAD_MS_PER_NODE * nodeCount) } : undefined;
}
