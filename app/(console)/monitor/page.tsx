import { MonitorPanel } from "./monitor-panel";

export default function Page() {
  return (
    <section>
      <h2>Monitor</h2>
      <MonitorPanel />
    </section>
  );
}
