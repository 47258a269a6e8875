import { requirePage } from "@/lib/auth/session";
import { MonitorPanel } from "./monitor-panel";

export const dynamic = "force-dynamic";

export default async function Page() {
  await requirePage("monitor", "/monitor");
  return (
    <section>
      <h2>Monitor</h2>
      <MonitorPanel />
    </section>
  );
}
