"use client";
import { useLive } from "../use-live";

type Rec = Record<string, string>;

export function RecentCallbacks() {
  const { data, error } = useLive<Rec[]>("/api/console/callbacks?limit=100");
  if (error) return <p className="error">Could not load: {(error as Error).message}</p>;
  if (!data) return <p>Loading…</p>;
  if (data.length === 0) return <p>No callbacks found.</p>;
  return (
    <>
      <p>{data.length} callback(s) found (most recently changed first).</p>
      <table aria-label="Callbacks">
        <thead>
          <tr>
            <th>State</th>
            <th>Reason</th>
            <th>Desired Callback Time</th>
            <th>Phone Number</th>
            <th>Service Name</th>
            <th>Service ID</th>
          </tr>
        </thead>
        <tbody>
          {data.map((c) => (
            <tr key={c._id}>
              <td>{c._callback_state}</td>
              <td>{c._callback_reason ?? ""}</td>
              <td>{new Date(c._desired_time).toLocaleString()}</td>
              <td>{c._customer_number ?? ""}</td>
              <td>{c._service_name}</td>
              <td>
                <code>{c._id.slice(0, 8)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
