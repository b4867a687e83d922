import { redirect } from "next/navigation";
import { Providers } from "@/components/providers";
import { AppShell } from "@/components/shell/app-shell";
import { currentCaller } from "@/lib/auth/session";

/** Every dashboard page needs a signed-in, active user; others go to /signin. */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const caller = await currentCaller();
  if (!caller) redirect("/signin");
  return (
    <Providers>
      <AppShell user={{ email: caller.email, role: caller.role }}>{children}</AppShell>
    </Providers>
  );
}
