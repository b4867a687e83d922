import { MachineView } from "@/components/fleet/machine-view";
import { currentCaller } from "@/lib/auth/session";
import { scopeOf } from "@/lib/auth/permissions";
import "../../pages.css";

export const metadata = { title: "Machine" };

export default async function MachinePage({ params }: { params: Promise<{ machine_id: string }> }) {
  const { machine_id } = await params;
  const caller = await currentCaller();
  return <MachineView id={machine_id} canManage={!!caller && scopeOf(caller.role, "manage_fleet") !== "none"} />;
}
