import { test } from "node:test";
import assert from "node:assert/strict";
import { linkMatrix, readMeasurements } from "./link-matrix";

test("the link matrix places every measured link and calls out the straggler node and links", () => {
  const nodes = ["gpu-1", "gpu-2", "gpu-3", "gpu-10"];
  const measurements = nodes.flatMap((s) =>
    nodes
      .filter((t) => t !== s)
      .map((t) => ({
        source: s,
        target: t,
        bandwidth_gbps: s === "gpu-3" || t === "gpu-3" ? 260 : 372,
        latency_us: 2.6,
      })),
  );
  const m = linkMatrix(readMeasurements({ measurements: [...measurements, { source: "bad" }] }));
  assert.deepEqual(m.nodes, ["gpu-1", "gpu-2", "gpu-3", "gpu-10"]);
  assert.equal(m.cells[0][0], null);
  assert.equal(m.cells[2][3]!.bandwidth_gbps, 260);
  assert.equal(m.cells[0][1]!.bandwidth_gbps, 372);
  assert.equal(m.median_bandwidth_gbps, 316);
  assert.equal(m.slowest_nodes[0].node, "gpu-3");
  assert.ok(m.slowest_nodes[0].ratio < m.slowest_nodes[1].ratio);
  assert.ok(m.slowest_links.every((l) => l.source === "gpu-3" || l.target === "gpu-3"));
  assert.deepEqual(linkMatrix([]).slowest_links, []);
});
