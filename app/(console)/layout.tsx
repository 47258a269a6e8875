import type { ReactNode } from "react";
import { currentUser } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/users";
import { NAV } from "./nav";
import { SignOutButton } from "./sign-out-button";
import { Providers } from "./providers";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // The page checks the session itself and sends a signed-out visitor to sign-in, back to that very page.
  const user = await currentUser();
  if (!user) return children;
  return (
    <div className="shell">
      <nav className="nav" aria-label="Main">
        <h1>Callback Service</h1>
        {NAV.filter((n) => hasRole(user.role, n.role)).map((n) => (
          <a key={n.href} href={n.href}>
            {n.label}
          </a>
        ))}
        <div className="who">
          Signed in as <strong>{user.username}</strong> ({user.role})
          <div style={{ marginTop: 8 }}>
            <SignOutButton />
          </div>
        </div>
      </nav>
      <main className="main">
        <Providers>{children}</Providers>
      </main>
    </div>
  );
}
