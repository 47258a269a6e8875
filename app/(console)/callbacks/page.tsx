import { requirePage } from "@/lib/auth/session";
import { RecentCallbacks } from "./recent-callbacks";

export const dynamic = "force-dynamic";

export default async function Page() {
  await requirePage("monitor", "/callbacks");
  return (
    <section>
      <h2>Callbacks</h2>
      <RecentCallbacks />
    </section>
  );
}
