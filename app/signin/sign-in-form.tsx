"use client";
import { signIn } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { rememberBrowserZoneOnce } from "@/lib/console/zone-cookie";

/** Only a path on this site: a callbackUrl is never allowed to send the user elsewhere. */
function safeReturn(url: string | null): string {
  return url && url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") ? url : "/callbacks";
}

/** "TooManyAttempts:<seconds>" (the sign-in route's 429) → the message, else the wrong-credentials one. */
function messageFor(error: string | null | undefined): string {
  const m = /^TooManyAttempts:(\d+)$/.exec(error ?? "");
  return m ? `Too many attempts, try again in ${m[1]} s.` : "Wrong user name or password.";
}

export function SignInForm() {
  const router = useRouter();
  const returnTo = safeReturn(useSearchParams().get("callbackUrl"));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", { username: f.get("username"), password: f.get("password"), redirect: false });
    setBusy(false);
    if (res?.ok && !res.error) {
      rememberBrowserZoneOnce();
      router.replace(returnTo);
    } else setError(messageFor(res?.error));
  }
  return (
    <form onSubmit={onSubmit}>
      <label htmlFor="username">User name</label>
      <input id="username" name="username" autoComplete="username" required />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p>
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </p>
    </form>
  );
}
