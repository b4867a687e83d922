import { PerformanceView } from "@/components/performance/performance-view";

export const metadata = { title: "Performance" };

export default function PerformancePage() {
  return <PerformanceView />;
}
