// Start-Callback: capacity, duplicates, limits and the insert happen in ONE write transaction — concurrent requests
// can never overbook a bucket or exceed a limit. 200 parallel HTTP requests, real SQLite, pinned clock.
import { describe, it, expect } from "vitest";
import { call, useHttpEnv, type Server } from "./helpers";
import { S, num, cbService, rowCount, requestEvents, type Env } from "./public-fixtures";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)));

const fire = (count: number, body: (i: number) => Record<string, unknown>) =>
  Promise.all(Array.from({ length: count }, (_, i) => call(srv.url, "POST", `${S}/svc`, body(i))));
const tally = (rs: Array<{ status: number; json: { code?: number } }>) => {
  const out: Record<string, number> = {};
  for (const r of rs) {
    const k = r.status === 200 ? "200" : `${r.status}/${r.json?.code}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
};

describe("concurrent Start-Callback requests", () => {
  it("200 parallel starts into a bucket of capacity 10: exactly 10 accepted, 190 rejected with 40051, nothing else stored", async () => {
    await cbService(env, "svc", { _max_request_by_time_bucket: 10, _enable_in_queue_checking: false });
    const rs = await fire(200, (i) => ({ _customer_number: num(i), _desired_time: "2026-06-01T14:02:00.000Z" }));
    expect(tally(rs)).toEqual({ "200": 10, "400/40051": 190 });
    expect(await rowCount(env)).toBe(10);
    const stored = await env.store.query("SELECT bucket, state, count(*) AS n FROM callbacks GROUP BY bucket, state");
    expect(stored).toEqual([{ bucket: Date.parse("2026-06-01T14:00:00.000Z"), state: "SCHEDULED", n: 10 }]);
    const ids = rs
      .filter((r) => r.status === 200)
      .map((r) => r.json._id)
      .sort();
    expect((await env.store.query<{ id: string }>("SELECT id FROM callbacks ORDER BY id")).map((r) => r.id)).toEqual(ids);
    for (const r of rs.filter((x) => x.status === 400))
      expect(r.json.message).toBe(
        "Too many requests at desired time [2026-06-01T14:00:00.000Z, 2026-06-01T14:05:00.000Z]. Proposing time slots.",
      );
    const ev = await requestEvents(env);
    expect(ev.filter((e) => e.type === "accepted")).toHaveLength(10);
    expect(ev.filter((e) => e.type === "rejected")).toHaveLength(190);
  });

  it("200 parallel immediate starts against _max_queued_callbacks_per_service=10: exactly 10 queued, 190 rejected with 40002", async () => {
    await cbService(env, "svc", { _max_queued_callbacks_per_service: 10, _enable_in_queue_checking: false });
    const rs = await fire(200, (i) => ({ _customer_number: num(i) }));
    expect(tally(rs)).toEqual({ "200": 10, "429/40002": 190 });
    expect(await rowCount(env)).toBe(10);
  });

  it("200 parallel starts for one number with strict in-queue checking: exactly 1 accepted, 199 rejected with 40001", async () => {
    await cbService(env, "svc", { _enable_in_queue_checking: "strict" });
    const rs = await fire(200, () => ({ _customer_number: num(1), _desired_time: "2026-06-01T14:02:00.000Z" }));
    expect(tally(rs)).toEqual({ "200": 1, "429/40001": 199 });
    expect(await rowCount(env)).toBe(1);
  });

  it("200 parallel starts against a throttle of 25 per window: exactly 25 accepted, 175 rejected with 40003", async () => {
    await cbService(env, "svc", { _throttle_callbacks_per_service_1: 25, _enable_in_queue_checking: false });
    const rs = await fire(200, (i) => ({ _customer_number: num(i), _desired_time: "2026-06-01T14:02:00.000Z" }));
    expect(tally(rs)).toEqual({ "200": 25, "429/40003": 175 });
    expect(await rowCount(env)).toBe(25);
  });
});
