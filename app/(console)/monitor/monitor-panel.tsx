"use client";
import { useLive } from "../use-live";

interface Snapshot {
  watermarks: { total: number; services: Record<string, number> };
  byState: Record<string, Record<string, number>>;
  events: Array<{
    id: number;
    time: number;
    service_name: string | null;
    callback_id: string | null;
    type: string;
    state: string | null;
    reason: string | null;
    actor: string | null;
  }>;
}
const STATES = ["SCHEDULED", "QUEUED", "ROUTING", "PROCESSING", "PAUSED", "COMPLETED"];

export function MonitorPanel() {
  const { data, error, dataUpdatedAt } = useLive<Snapshot>("/api/console/monitor");
  if (error) return <p className="error">Could not load: {(error as Error).message}</p>;
  if (!data) return <p>Loading…</p>;
  return (
    <>
      <div className="card">
        <strong>In execution: {data.watermarks.total}</strong> <small>updated {new Date(dataUpdatedAt).toLocaleTimeString()}</small>
      </div>
      <table aria-label="Callbacks by state">
        <thead>
          <tr>
            <th>Service</th>
            {STATES.map((s) => (
              <th key={s}>{s}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Object.entries(data.byState).map(([svc, m]) => (
            <tr key={svc}>
              <td>{svc}</td>
              {STATES.map((s) => (
                <td key={s}>{m[s] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Recent events</h3>
      <table aria-label="Recent events">
        <thead>
          <tr>
            <th>Time</th>
            <th>Service</th>
            <th>Callback</th>
            <th>Event</th>
            <th>State</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {data.events.map((e) => (
            <tr key={e.id}>
              <td>{new Date(e.time).toLocaleTimeString()}</td>
              <td>{e.service_name}</td>
              <td>
                <code>{e.callback_id?.slice(0, 8)}</code>
              </td>
              <td>{e.type}</td>
              <td>{e.state}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
