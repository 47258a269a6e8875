import { Suspense, type ReactNode } from "react";
import { IANAZone } from "luxon";
import { currentUser } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { hasRole } from "@/lib/auth/users";
import { zoneLabel } from "@/lib/console/format";
import { NAV } from "./nav";
import { NavMenu } from "./nav-menu";
import { SignOutButton } from "./sign-out-button";
import { Providers } from "./providers";
import { ZonePicker } from "./zone-picker";
import { rememberedZone } from "@/lib/console/display-zone";

export const dynamic = "force-dynamic";

// ICU lists some zones by their old names (Asia/Calcutta); people look for today's (Asia/Kolkata)
const RENAMED: Record<string, string> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Godthab": "America/Nuuk",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

function zoneOptions(now: number, current: string | null) {
  const listed = Intl.supportedValuesOf("timeZone").map((z) => (RENAMED[z] && IANAZone.isValidZone(RENAMED[z]) ? RENAMED[z] : z));
  const zones = [...new Set(["UTC", ...listed.sort(), ...(current ? [current] : [])])];
  return zones.map((zone) => ({ zone, label: zoneLabel(zone, now) }));
}

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // The page checks the session itself and sends a signed-out visitor to sign-in, back to that very page.
  const user = await currentUser();
  if (!user) return children;
  const remembered = await rememberedZone();
  const groups = NAV.map((g) => ({ group: g.group, items: g.items.filter((n) => hasRole(user.role, n.role)) })).filter(
    (g) => g.items.length,
  );
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <aside className="sidebar">
        <div className="brand">Callback Service</div>
        <NavMenu groups={groups} />
      </aside>
      <div className="content">
        <header className="topbar">
          <Suspense>
            <ZonePicker zone={remembered ?? "UTC"} zones={zoneOptions(now(), remembered)} at={now()} remembered={remembered !== null} />
          </Suspense>
          <div className="who">
            Signed in as <strong>{user.username}</strong> <span className="role">({user.role})</span>
          </div>
          <SignOutButton />
        </header>
        <main className="main" id="main" tabIndex={-1}>
          <Providers>{children}</Providers>
        </main>
      </div>
    </div>
  );
}
