import { requirePage } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { callbacksNow, configuredCallbackServices, parseCallbacksQuery } from "@/lib/console/callbacks";
import { displayZone } from "@/lib/console/display-zone";
import { hasRole } from "@/lib/auth/users";
import { CallbacksPanel } from "./callbacks-panel";
import { CallbacksActionBar, DrawerActions } from "./callback-action-bar";

export const dynamic = "force-dynamic";
export const metadata = { title: "Callbacks" };

type SearchParams = Record<string, string | string[] | undefined>;

function toSearch(sp: SearchParams): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) p.append(k, one);
  return p;
}

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const search = toSearch(await searchParams);
  // signed out → sign-in, then back to this very view (filters and open drawer included)
  const user = await requirePage("monitor", search.size ? `/callbacks?${search}` : "/callbacks");
  search.delete("open");
  const q = parseCallbacksQuery(search);
  const zone = await displayZone(q.tz);
  const services = await configuredCallbackServices();
  // a monitor watches: no action control is even rendered (the action routes refuse it too)
  const acts = hasRole(user.role, "supervisor");
  return (
    <section>
      <h1>Callbacks</h1>
      <CallbacksPanel
        initial={await callbacksNow(q, zone)}
        initialKey={search.toString()}
        renderedAt={now()}
        zone={zone}
        services={services}
        user={user.username}
        actionBar={acts ? <CallbacksActionBar role={user.role} services={services} /> : undefined}
        drawerActions={acts ? <DrawerActions role={user.role} /> : undefined}
      />
    </section>
  );
}
