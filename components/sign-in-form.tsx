"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";

export function SignInForm({ callbackUrl, initialError }: { callbackUrl: string; initialError: string | null }) {
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    const res = await signIn("credentials", {
      email: String(form.get("email")),
      password: String(form.get("password")),
      redirect: false,
    });
    setPending(false);
    if (res?.ok) window.location.assign(callbackUrl);
    else setError("Wrong email or password");
  }
  return (
    <form onSubmit={onSubmit} style={{ display: "grid", gap: 12 }}>
      <label>Email<input name="email" type="email" autoComplete="username" required style={{ width: "100%" }} /></label>
      <label>Password<input name="password" type="password" autoComplete="current-password" required style={{ width: "100%" }} /></label>
      {error && <p role="alert" style={{ color: "#dc2626", margin: 0 }}>{error}</p>}
      <button type="submit" disabled={pending}>{pending ? "Signing in…" : "Sign in"}</button>
    </form>
  );
}
