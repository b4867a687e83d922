import { FleetView } from "@/components/fleet/fleet-view";
import { FleetHeatmap } from "@/components/insight/fleet-heatmap";
import { EnrollmentPanel } from "@/components/continuous/enrollment-panel";
import { currentCaller } from "@/lib/auth/session";
import { scopeOf } from "@/lib/auth/permissions";
import "../pages.css";

export const metadata = { title: "Fleet" };

export default async function FleetPage() {
  const caller = await currentCaller();
  const managesFleet = !!caller && scopeOf(caller.role, "manage_fleet") !== "none";
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Fleet</h1>
          <p>Machines that ran your jobs, their latest run and how they perform against their GPU model.</p>
        </div>
      </div>
      <FleetView canManage={managesFleet} />
      <FleetHeatmap />
      {managesFleet && <EnrollmentPanel />}
    </>
  );
}
