import { redirect } from "next/navigation";
import { currentCaller } from "@/lib/auth/session";
import { scopeOf } from "@/lib/auth/permissions";
import { SchedulesView } from "@/components/continuous/schedules-view";
import "../pages.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Schedules" };

export default async function SchedulesPage() {
  const caller = await currentCaller();
  if (!caller) redirect("/signin");
  if (scopeOf(caller.role, "manage_fleet") === "none") {
    return (
      <div className="state-box error" role="alert" data-testid="forbidden">
        <h1>403 — Not allowed</h1>
        <p>Only customer admins and root admins manage schedules. Their jobs are listed under Jobs for everyone.</p>
      </div>
    );
  }
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Schedules</h1>
          <p>
            At each tick a job for the matching enrolled machines (Fleet → Enrolled machines), tagged with the schedule.
            Times are UTC.
          </p>
        </div>
      </div>
      <SchedulesView />
    </>
  );
}
