import { FleetView } from "@/components/fleet/fleet-view";
import { FleetHeatmap } from "@/components/insight/fleet-heatmap";
import "../pages.css";

export const metadata = { title: "Fleet" };

export default function FleetPage() {
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Fleet</h1>
          <p>Machines that ran your jobs, their latest run and how they perform against their GPU model.</p>
        </div>
      </div>
      <FleetView />
      <FleetHeatmap />
    </>
  );
}
