import { PerformanceView } from "@/components/performance/performance-view";
import { SuspectMachines } from "@/components/health/suspect-machines";
import { GpuPricesPanel } from "@/components/health/gpu-prices-panel";
import { currentCaller } from "@/lib/auth/session";
import { scopeOf } from "@/lib/auth/permissions";

export const metadata = { title: "Performance" };

export default async function PerformancePage() {
  const caller = await currentCaller();
  return (
    <>
      <PerformanceView />
      <SuspectMachines />
      <GpuPricesPanel canManage={!!caller && scopeOf(caller.role, "manage_fleet") !== "none"} />
    </>
  );
}
