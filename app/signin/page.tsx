import { SignInForm } from "@/components/sign-in-form";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  return (
    <main style={{ maxWidth: 360, margin: "12vh auto", padding: 24 }}>
      <h1>Sign in to Benchboard</h1>
      <SignInForm callbackUrl={callbackUrl?.startsWith("/") ? callbackUrl : "/"} initialError={error ? "Wrong email or password" : null} />
    </main>
  );
}
