import { MachineView } from "@/components/fleet/machine-view";
import "../../pages.css";

export const metadata = { title: "Machine" };

export default async function MachinePage({ params }: { params: Promise<{ machine_id: string }> }) {
  const { machine_id } = await params;
  return <MachineView id={machine_id} />;
}
