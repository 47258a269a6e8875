"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

export function SignInForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", { username: f.get("username"), password: f.get("password"), redirect: false });
    setBusy(false);
    if (res?.ok && !res.error) router.replace("/callbacks");
    else setError("Wrong user name or password.");
  }
  return (
    <form onSubmit={onSubmit}>
      <label htmlFor="username">User name</label>
      <input id="username" name="username" autoComplete="username" required />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      {error && <p className="error" role="alert">{error}</p>}
      <p><button type="submit" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button></p>
    </form>
  );
}
