import { describe, it, expect, beforeEach, vi } from "vitest";
import Papa from "papaparse";
import { freshEngine } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { cancelCallback } from "../lib/callback/cancel";
import { transition } from "../lib/callback/state";
import { resetSimulator } from "../lib/execution/simulator";
import { bulkProgress, previewBulkCancel } from "../lib/console/actions";
import * as createRoute from "../app/api/console/callbacks/create/route";
import * as rescheduleRoute from "../app/api/console/callbacks/[id]/reschedule/route";
import * as cancelRoute from "../app/api/console/callbacks/[id]/cancel/route";
import * as bulkRoute from "../app/api/console/bulk-cancel/route";
import * as previewRoute from "../app/api/console/bulk-cancel/preview/route";
import * as progressRoute from "../app/api/console/bulk-cancel/[operation]/route";
import * as resultsRoute from "../app/api/console/bulk-cancel/[operation]/csv/route";
import * as viewRoute from "../app/api/console/export/view/route";
import * as cancelledRoute from "../app/api/console/export/cancelled/route";
import * as availabilityRoute from "../app/api/console/availability/route";

// The session is the only stand-in: next-auth's cookie lookup needs a Next.js request scope. Everything else
// (routes, engine verbs, SQLite) is real.
const session = vi.hoisted(() => ({ user: null as null | { username: string; role: "monitor" | "supervisor" | "admin" } }));
vi.mock("../lib/auth/session", () => ({ currentUser: async () => session.user }));

const NOW = Date.parse("2026-06-01T12:00:00.000Z");
const MIN = 60_000;
const H = 60 * MIN;
const BASE = "http://localhost:3000";
const SAME = { "sec-fetch-site": "same-origin" };
let env: Awaited<ReturnType<typeof freshEngine>>;

const post = (path: string, body?: unknown, headers: Record<string, string> = SAME) =>
  new Request(BASE + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const get = (path: string) => new Request(BASE + path);
const params = <T>(p: T) => ({ params: Promise.resolve(p) });
const row = async (id: string) => (await env.store.getCallback(id))!;
const at = (ms: number) => new Date(ms).toISOString();
const csv = async (r: Response) => Papa.parse<string[]>((await r.text()).trim(), { skipEmptyLines: true }).data;

let seq = 0;
async function scheduled(service: string, inMin: number, extra: Record<string, unknown> = {}): Promise<string> {
  return (
    await startCallback(env.ctx, service, {
      _customer_number: `+1617555${String(1000 + seq++).padStart(4, "0")}`,
      _desired_time: at(NOW + inMin * MIN),
      ...extra,
    })
  ).id;
}
async function moveTo(id: string, ...states: string[]) {
  await env.store.tx(async () => {
    for (const s of states) await transition(env.ctx, await row(id), s);
  });
}
async function finished(operation: string) {
  // the run goes on in the background: wait for its end (bounded, generous for a loaded machine)
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const p = await bulkProgress(env.ctx, operation);
    if (p.status !== "running") return p;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("bulk cancel did not finish");
}

beforeEach(async () => {
  env = freshEngine(NOW);
  resetSimulator();
  session.user = { username: "sam", role: "supervisor" };
  for (const s of ["sales", "support"])
    await putService(env.ctx, s, {
      _service: "callback",
      _enable_in_queue_checking: "false",
      _max_request_by_time_bucket: 10000,
      _throttle_callbacks_per_service_1: 100000,
      _throttle_callbacks_per_service_2: 100000,
    });
});

describe("console actions: create, reschedule, cancel", () => {
  it("creates an immediate callback through the Start-Callback path: handed over at once (QUEUED), the supervisor as actor", async () => {
    const r = await createRoute.POST(post("/api/console/callbacks/create", { service: "sales", customerNumber: "+16175550100" }));
    expect(r.status).toBe(200);
    const { id, state } = await r.json();
    expect(state).toBe("QUEUED");
    expect(await row(id)).toMatchObject({ state: "QUEUED", handed_off: 1, customer_number: "+16175550100" });
    expect((await env.store.eventsFor(id))[0]).toMatchObject({ type: "accepted", actor: "sam" });
  });

  it("creates a scheduled callback with a national number read in its country and properties stored as given", async () => {
    const r = await createRoute.POST(
      post("/api/console/callbacks/create", {
        service: "support",
        customerNumber: "020 7946 0018",
        country: "GB",
        desiredTime: at(NOW + 3 * H),
        properties: { customer_name: "Ada" },
      }),
    );
    const { id, state } = await r.json();
    expect(state).toBe("SCHEDULED");
    expect(await row(id)).toMatchObject({ customer_number: "+442079460018", desired_time: NOW + 3 * H });
    expect(JSON.parse((await row(id)).props).customer_name).toBe("Ada");
  });

  it("answers bad input and engine refusals in the GMS error shape", async () => {
    const bad = await createRoute.POST(post("/api/console/callbacks/create", { service: "sales", customerNumber: "" }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 40010, phrase: "BAD_PARAMETER" });
    const past = await createRoute.POST(
      post("/api/console/callbacks/create", { service: "sales", customerNumber: "+16175550100", desiredTime: at(NOW - 24 * H) }),
    );
    expect(await past.json()).toMatchObject({ code: 40040, phrase: "INVALID_DESIRED_TIME" });
    const unknown = await createRoute.POST(post("/api/console/callbacks/create", { service: "nope", customerNumber: "+16175550100" }));
    expect((await unknown.json()).code).toBe(40030);
    const control = await createRoute.POST(
      post("/api/console/callbacks/create", { service: "sales", customerNumber: "+16175550100", properties: { _desired_time: "x" } }),
    );
    expect(await control.json()).toMatchObject({ code: 40010, message: "Invalid property '_desired_time': it is set by its own field" });
  });

  it("reschedules a SCHEDULED callback, and refuses one no longer scheduled with the public PUT's 40020", async () => {
    const id = await scheduled("sales", 60);
    const r = await rescheduleRoute.POST(post(`/api/console/callbacks/${id}/reschedule`, { desiredTime: at(NOW + 5 * H) }), params({ id }));
    expect(await r.json()).toMatchObject({ id, state: "SCHEDULED", desiredTime: at(NOW + 5 * H) });
    expect((await env.store.eventsFor(id)).at(-1)).toMatchObject({ actor: "sam" });
    await moveTo(id, "QUEUED");
    const again = await rescheduleRoute.POST(
      post(`/api/console/callbacks/${id}/reschedule`, { desiredTime: at(NOW + 6 * H) }),
      params({ id }),
    );
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 40020, message: `Callback '${id}' is no longer scheduled. State=QUEUED` });
  });

  it("cancels one callback as CANCELLED_BY_ADMIN by the signed-in user; a second cancel is 40020", async () => {
    const id = await scheduled("sales", 60);
    const r = await cancelRoute.POST(post(`/api/console/callbacks/${id}/cancel`), params({ id }));
    expect(await r.json()).toMatchObject({ id, state: "COMPLETED", reason: "CANCELLED_BY_ADMIN" });
    expect((await env.store.eventsFor(id)).at(-1)).toMatchObject({ type: "cancelled", actor: "sam" });
    const again = await cancelRoute.POST(post(`/api/console/callbacks/${id}/cancel`), params({ id }));
    expect((await again.json()).code).toBe(40020);
  });
});

describe("console bulk cancel", () => {
  it("cancels the selected ids in the background (202), with progress and per-callback results as CSV", async () => {
    const ids = [await scheduled("sales", 10), await scheduled("sales", 20), await scheduled("support", 30)];
    await cancelCallback(env.ctx, ids[2]!);
    const r = await bulkRoute.POST(post("/api/console/bulk-cancel", { ids: [...ids, "missing"] }));
    expect(r.status).toBe(202);
    const { operation, total } = await r.json();
    expect(total).toBe(4);
    const done = await finished(operation);
    expect(done).toMatchObject({ status: "completed", actor: "sam", total: 4, cancelled: 2, skipped: 1, failed: 1 });
    const progress = await (await progressRoute.GET(get(`/api/console/bulk-cancel/${operation}`), params({ operation }))).json();
    expect(progress).toMatchObject({ status: "completed", total: 4, cancelled: 2 });
    expect(progress.results).toBeUndefined();
    const file = await resultsRoute.GET(get(`/api/console/bulk-cancel/${operation}/csv`), params({ operation }));
    expect(file.headers.get("content-disposition")).toBe(`attachment; filename="bulk-cancel-${operation}.csv"`);
    const rows = await csv(file);
    expect(rows[0]).toEqual(["_id", "status", "message"]);
    expect(rows.slice(1).map((x) => [x[0], x[1]])).toEqual([
      [ids[0], "cancelled"],
      [ids[1], "cancelled"],
      [ids[2], "skipped"],
      ["missing", "failed"],
    ]);
    const recent = await (await bulkRoute.GET(get("/api/console/bulk-cancel"))).json();
    expect(recent[0]).toMatchObject({ operation, cancelled: 2 });
  });

  it("cancels every callback of the panel's filter (all pages), leaving a PROCESSING one alone; the preview says so first", async () => {
    const inRange: string[] = [];
    for (let i = 0; i < 300; i++) inRange.push(await scheduled("sales", 30 + i));
    const other = await scheduled("support", 60);
    const later = await scheduled("sales", 3 * 24 * 60);
    await moveTo(inRange[5]!, "QUEUED", "ROUTING", "PROCESSING");
    const body = { query: { window: "next24h", service: "sales" }, tz: "America/New_York" };
    const preview = await (await previewRoute.POST(post("/api/console/bulk-cancel/preview", body))).json();
    expect(preview).toEqual({ total: 300, processing: 1, completed: 0, services: [{ service: "sales", count: 300 }] });
    const { operation, total } = await (await bulkRoute.POST(post("/api/console/bulk-cancel", body))).json();
    expect(total).toBe(300);
    expect(await finished(operation)).toMatchObject({ total: 300, cancelled: 299, skipped: 1, failed: 0 });
    expect((await row(inRange[5]!)).state).toBe("PROCESSING");
    expect(await row(inRange[0]!)).toMatchObject({ state: "COMPLETED", reason: "CANCELLED_BY_ADMIN" });
    expect([(await row(other)).state, (await row(later)).state]).toEqual(["SCHEDULED", "SCHEDULED"]);
    expect((await previewBulkCancel(env.ctx, { ids: [inRange[5]!] })).processing).toBe(1);
  });

  it("refuses an empty selection, an invalid custom range and a filter that selects nothing", async () => {
    expect((await (await bulkRoute.POST(post("/api/console/bulk-cancel", { ids: [] }))).json()).code).toBe(40010);
    const reversed = { query: { window: "custom", from: "2026-06-02T00:00", to: "2026-06-01T00:00" } };
    expect(await (await bulkRoute.POST(post("/api/console/bulk-cancel", reversed))).json()).toMatchObject({
      code: 40010,
      message: "The start of the range must be before its end.",
    });
    const none = await bulkRoute.POST(post("/api/console/bulk-cancel", { query: { window: "last24h" } }));
    expect(none.status).toBe(400);
  });
});

describe("console exports and availability", () => {
  it("exports every row of the current filter as CSV (header once, across chunks), in the display zone, formula-safe", async () => {
    for (let i = 0; i < 1205; i++) await scheduled("sales", 30 + i, { customer_name: i === 0 ? "=HYPERLINK(1)" : `c${i}` });
    await scheduled("support", 60);
    const r = await viewRoute.GET(get("/api/console/export/view?window=next7d&service=sales&tz=America/New_York&columns=customer_name"));
    expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(r.headers.get("content-disposition")).toBe('attachment; filename="callbacks-next7d-20260601-0800.csv"');
    const rows = await csv(r);
    expect(rows[0]).toEqual([
      "_id",
      "_service_name",
      "_callback_state",
      "_callback_reason",
      "_desired_time",
      "desired_time_local",
      "_customer_number",
      "customer_name",
    ]);
    expect(rows.length).toBe(1 + 1205);
    expect(rows[1]!.slice(1)).toEqual([
      "sales",
      "SCHEDULED",
      "",
      at(NOW + 30 * MIN),
      "2026-06-01T08:30:00-04:00",
      expect.stringMatching(/^\+1617555\d{4}$/),
      "'=HYPERLINK(1)",
    ]);
    expect(rows.filter((x) => x[0] === "_id")).toHaveLength(1);
    const bad = await viewRoute.GET(get("/api/console/export/view?window=custom&from=2026-06-01T00:00&to=2026-08-01T00:00"));
    expect(await bad.json()).toMatchObject({ code: 40010, message: "A custom range can span at most one month." });
  });

  it("exports the cancelled-callbacks report narrowed to local days and a service; none → the header alone", async () => {
    const a = await scheduled("sales", 60);
    const b = await scheduled("support", 90);
    const c = await scheduled("sales", 3 * 24 * 60);
    for (const id of [a, b, c]) await cancelCallback(env.ctx, id, { reason: "CANCELLED_BY_ADMIN" });
    const all = await csv(await cancelledRoute.GET(get("/api/console/export/cancelled")));
    expect(all[0]).toEqual(["_desired_time", "_service_name", "_customer_number", "urs_virtual_queue", "_vq_for_outbound_calls", "target"]);
    expect(all.length).toBe(4);
    const r = await cancelledRoute.GET(
      get("/api/console/export/cancelled?start=2026-06-01&end=2026-06-02&service=sales&columns=_id,_callback_reason&tz=America/New_York"),
    );
    expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename="cancelled-cancelled_by_admin-\d{8}-\d{4}\.csv"$/);
    expect(await csv(r)).toEqual([
      ["_id", "_callback_reason"],
      [a, "CANCELLED_BY_ADMIN"],
    ]);
    expect(await csv(await cancelledRoute.GET(get("/api/console/export/cancelled?reason=CANCELLED&columns=_id")))).toEqual([["_id"]]);
    expect((await (await cancelledRoute.GET(get("/api/console/export/cancelled?start=June"))).json()).code).toBe(40010);
  });

  it("lists the free slots of one local day, none in the past, for a monitor too", async () => {
    await putService(env.ctx, "hours", { _service: "office-hours", _timezone: "America/New_York", _bh_regular1: "Mon-Fri 09:00-17:00" });
    await putService(env.ctx, "office", {
      _service: "callback",
      _business_hours_service: "hours",
      _request_time_bucket: 60,
      _max_request_by_time_bucket: 2,
      _enable_in_queue_checking: "false",
    });
    await scheduled("office", 60 + 30); // 09:30 New York: the 09:00 bucket has one place left
    session.user = { username: "mo", role: "monitor" };
    const r = await availabilityRoute.GET(get("/api/console/availability?service=office&date=2026-06-01&tz=America/New_York"));
    const body = await r.json();
    expect(body).toMatchObject({ service: "office", zone: "America/New_York", officeZone: "America/New_York", bucketMinutes: 60 });
    expect(body.slots.map((s: { local: string }) => s.local)).toEqual([
      "09:00",
      "10:00",
      "11:00",
      "12:00",
      "13:00",
      "14:00",
      "15:00",
      "16:00",
    ]);
    expect(body.slots[0]).toMatchObject({ start: "2026-06-01T13:00:00.000Z", remaining: 1, total: 2 });
    const sunday = await (await availabilityRoute.GET(get("/api/console/availability?service=office&date=2026-06-07"))).json();
    expect(sunday.slots).toEqual([]);
    expect((await availabilityRoute.GET(get("/api/console/availability?service=office&date=tomorrow"))).status).toBe(400);
  });
});

describe("console action routes: who may call them", () => {
  const id = "any-id";
  const calls = (headers: Record<string, string> = SAME) => [
    () => createRoute.POST(post("/api/console/callbacks/create", { service: "sales", customerNumber: "+16175550100" }, headers)),
    () => rescheduleRoute.POST(post(`/api/console/callbacks/${id}/reschedule`, { desiredTime: at(NOW + H) }, headers), params({ id })),
    () => cancelRoute.POST(post(`/api/console/callbacks/${id}/cancel`, undefined, headers), params({ id })),
    () => bulkRoute.POST(post("/api/console/bulk-cancel", { ids: [id] }, headers)),
    () => previewRoute.POST(post("/api/console/bulk-cancel/preview", { ids: [id] }, headers)),
  ];
  const reads = [
    () => bulkRoute.GET(get("/api/console/bulk-cancel")),
    () => progressRoute.GET(get("/api/console/bulk-cancel/x"), params({ operation: "x" })),
    () => resultsRoute.GET(get("/api/console/bulk-cancel/x/csv"), params({ operation: "x" })),
    () => viewRoute.GET(get("/api/console/export/view")),
    () => cancelledRoute.GET(get("/api/console/export/cancelled")),
  ];

  it("a monitor gets 403 with a JSON body from every action and export, and nothing changes", async () => {
    const target = await scheduled("sales", 60);
    session.user = { username: "mo", role: "monitor" };
    for (const call of [...calls(), ...reads]) {
      const r = await call();
      expect(r.status).toBe(403);
      expect(await r.json()).toMatchObject({ code: 403, phrase: "FORBIDDEN", message: "Role 'supervisor' or higher is required" });
    }
    expect((await row(target)).state).toBe("SCHEDULED");
    expect(await env.store.countInState("sales", "SCHEDULED")).toBe(1);
  });

  it("a visitor without a session gets 401", async () => {
    session.user = null;
    for (const call of [...calls(), ...reads]) expect((await call()).status).toBe(401);
    expect((await availabilityRoute.GET(get("/api/console/availability?service=sales&date=2026-06-01"))).status).toBe(401);
  });

  it("refuses a cross-origin or origin-less POST with 403 even for a supervisor; accepts the console's own origin", async () => {
    const refused: Array<Record<string, string>> = [{ "sec-fetch-site": "cross-site" }, { origin: "https://evil.example" }, {}];
    for (const headers of refused) {
      for (const call of calls(headers)) {
        const r = await call();
        expect(r.status).toBe(403);
        expect((await r.json()).message).toBe("Cross-origin request refused: send it from the console itself");
      }
    }
    expect(await env.store.countInState("sales", "QUEUED")).toBe(0);
    const own = await createRoute.POST(
      post(
        "/api/console/callbacks/create",
        { service: "sales", customerNumber: "+16175550100" },
        { origin: BASE, "x-forwarded-host": "localhost:3000" },
      ),
    );
    expect(own.status).toBe(200);
  });
});
