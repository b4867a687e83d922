import { nodeInventorySchema } from "@/lib/agent/schemas";
import { TableScroll } from "@/components/ui/table-scroll";

const dash = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : String(v));
const pair = (current: unknown, max: unknown, prefix = "") =>
  `${current == null ? "—" : `${prefix}${current}`} / ${max == null ? "—" : `${prefix}${max}`}`;

/** A node's hardware as its agent reported it: host, then every GPU from nvidia-smi. */
export function NodeInventory({ inventory, label }: { inventory: unknown; label: string }) {
  const parsed = nodeInventorySchema.safeParse(inventory ?? {});
  if (!parsed.success || !inventory) return <p className="muted">No inventory reported.</p>;
  const inv = parsed.data;
  const gpus = inv.gpus ?? [];
  const gpuError = typeof inv.gpu_error === "string" ? inv.gpu_error : null;
  return (
    <div data-testid="node-inventory">
      <dl className="detail-grid" style={{ margin: 0 }}>
        <div>
          <dt>CPU</dt>
          <dd>
            {dash(inv.cpu)}
            {inv.cpu_cores ? ` × ${inv.cpu_cores}` : ""}
          </dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd>{inv.memory_gb == null ? "—" : `${inv.memory_gb} GB`}</dd>
        </div>
        <div>
          <dt>OS</dt>
          <dd>{dash(inv.os)}</dd>
        </div>
        <div>
          <dt>Kernel</dt>
          <dd>{dash(inv.kernel)}</dd>
        </div>
        <div>
          <dt>Driver</dt>
          <dd>{dash(inv.driver_version)}</dd>
        </div>
        <div>
          <dt>CUDA</dt>
          <dd>{dash(inv.cuda_version)}</dd>
        </div>
      </dl>
      {gpuError ? <p style={{ color: "var(--danger)" }}>{gpuError}</p> : null}
      {gpus.length ? (
        <TableScroll label={`GPUs of ${label}`}>
          <table className="table" aria-label={`GPUs of ${label}`}>
            <thead>
              <tr>
                <th>#</th>
                <th>Model</th>
                <th>UUID</th>
                <th>Serial</th>
                <th className="num">Memory</th>
                <th>PCIe gen</th>
                <th>PCIe width</th>
                <th className="num">Max SM / mem clock</th>
                <th className="num">Power limit</th>
                <th>ECC</th>
              </tr>
            </thead>
            <tbody>
              {gpus.map((g) => (
                <tr key={g.index} data-testid="gpu-row">
                  <td>{g.index}</td>
                  <td>{g.name}</td>
                  <td className="mono">{dash(g.uuid)}</td>
                  <td className="mono">{dash(g.serial)}</td>
                  <td className="num">{g.memory_total_mib == null ? "—" : `${g.memory_total_mib} MiB`}</td>
                  <td title="current / max">{pair(g.pcie_gen_current, g.pcie_gen_max)}</td>
                  <td title="current / max">{pair(g.pcie_width_current, g.pcie_width_max, "x")}</td>
                  <td className="num">
                    {dash(g.clocks_max_sm_mhz)} / {dash(g.clocks_max_memory_mhz)} MHz
                  </td>
                  <td className="num">{g.power_limit_watts == null ? "—" : `${g.power_limit_watts} W`}</td>
                  <td>{dash(g.ecc_mode)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </div>
  );
}
