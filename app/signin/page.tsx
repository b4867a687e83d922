import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { currentCaller } from "@/lib/auth/session";
import { safeRedirectPath } from "@/lib/auth/redirect";

export const metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  const target = safeRedirectPath(callbackUrl);
  if (await currentCaller()) redirect(target);
  return (
    <main className="auth-page">
      <div className="card auth-card">
        <div className="brand" style={{ padding: 0 }}>
          <span className="brand-mark" aria-hidden="true" /> Benchboard
        </div>
        <div>
          <h1>Sign in</h1>
          <p className="muted" style={{ margin: "4px 0 0" }}>
            GPU-cluster benchmarking dashboard
          </p>
        </div>
        <SignInForm callbackUrl={target} initialError={error ? "Wrong email or password" : null} />
      </div>
    </main>
  );
}
