-- Where a node's agent accepts cluster_network connections from its peers (host and port
-- sent at registration), so each node can be told its peers' addresses.
ALTER TABLE "tasks" ADD COLUMN "agent_host" TEXT;
ALTER TABLE "tasks" ADD COLUMN "agent_port" INTEGER;
