import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/users";
import { defaultCtx } from "@/lib/runtime";
import { patternGroups } from "@/lib/console/patterns";
import { PatternsPanel } from "./patterns-panel";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Patterns" };

export default async function Page({ searchParams }: { searchParams: Promise<{ group?: string | string[] }> }) {
  const { group } = await searchParams;
  const selected = typeof group === "string" ? group : "";
  const user = await requirePage("monitor", selected ? `/patterns?group=${encodeURIComponent(selected)}` : "/patterns");
  return (
    <section>
      <h1>Patterns</h1>
      <p className="hint">
        Exception patterns: groups of named regular expressions (RE2 syntax). A callback service lists groups in its{" "}
        <code>_exceptions</code> option, and Start-Callback refuses a customer number that any pattern of those groups matches.
      </p>
      <PatternsPanel initial={await patternGroups(defaultCtx())} initialGroup={selected} canEdit={hasRole(user.role, "admin")} />
    </section>
  );
}
