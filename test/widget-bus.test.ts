// The CallbackService widget's bus, run in Node against the real /genesys router and a real SQLite database:
// commands, events, the seed's rejection messages, userData merge, field mapping and the timeout.
import { describe, it, expect, afterEach } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { basic, call, useHttpEnv, type Env, type Server } from "./helpers";
import { createBus, type BusEvent, type Bus } from "../widgets/src/bus";
import { installCallbackService, NO_QUERY, NO_SCHEDULE_DATA, type CallbackConfig } from "../widgets/src/callback-service";

let srv: Server;
let env: Env;
// the engine's clock is pinned at start; the widget sends no times here, so the server's "now" is that clock
useHttpEnv((e, s) => ((env = e), (srv = s)), { users: true, start: Date.parse("2026-06-02T14:00:00.000Z") });

const putService = async (name: string, options: Record<string, unknown>) =>
  expect((await call(srv.url, "PUT", `/genesys/1/admin/services/${name}`, options, { authorization: basic("admin") })).status).toBe(200);

function widget(cfg: CallbackConfig): { bus: Bus; events: BusEvent[]; cfg: CallbackConfig } {
  const bus = createBus();
  const events: BusEvent[] = [];
  for (const e of ["ready", "scheduled", "scheduleError", "availableSlots", "availabilityError"])
    bus.subscribe(`CallbackService.${e}`, (ev) => events.push(ev));
  installCallbackService(bus, () => cfg);
  return { bus, events, cfg };
}

describe("CallbackService bus", () => {
  it("publishes ready, also to a subscriber that comes after it, and rejects unknown commands", async () => {
    const { bus, events } = widget({});
    expect(events).toEqual([{ event: "CallbackService.ready", data: undefined }]);
    const late: BusEvent[] = [];
    bus.registerPlugin("Late").subscribe("CallbackService.ready", (e) => late.push(e));
    expect(late).toHaveLength(1);
    await expect(bus.registerPlugin("P").command("CallbackService.nope", {})).rejects.toBe(
      "Command CallbackService.nope is not registered",
    );
  });

  it("schedule: maps the form fields to GMS names, merges the option's userData over the configured one, resolves and publishes scheduled", async () => {
    await putService("w-sched", { _service: "callback" });
    const { bus, events } = widget({
      dataURL: `${srv.url}/genesys/1/service/callback/w-sched`,
      userData: { channel: "web", campaign: "spring", keep: "configured" },
    });
    const plugin = bus.registerPlugin("MyPlugin");
    const r = (await plugin.command("CallbackService.schedule", {
      userData: { campaign: "summer", extra: "1" },
      firstname: "Bob",
      lastname: "Jones",
      email: "b.jones@mail.com",
      subject: "product questions",
      desiredTime: "2026-06-02T16:00:00.000Z",
      phonenumber: "+16175550123",
    })) as { _id: string };
    expect(r._id).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.at(-1)).toEqual({ event: "CallbackService.scheduled", data: r });
    const [rec] = (await call(srv.url, "GET", `/genesys/1/service/callback/w-sched/${r._id}`)).json;
    expect(rec).toMatchObject({
      _customer_number: "+16175550123",
      _desired_time: "2026-06-02T16:00:00.000Z",
      _callback_state: "SCHEDULED",
      firstname: "Bob",
      lastname: "Jones",
      email: "b.jones@mail.com",
      subject: "product questions",
      channel: "web",
      campaign: "summer",
      keep: "configured",
      extra: "1",
    });
    expect(rec.userData).toBeUndefined();
  });

  it("schedule: serviceName (option, then configuration) is appended to a dataURL that lacks it, and apikey is sent as x-api-key", async () => {
    await putService("w-named", { _service: "callback" });
    process.env.API_KEYS = "key-1";
    try {
      const { bus } = widget({
        dataURL: `${srv.url}/genesys/1/service/callback`,
        serviceName: "w-named",
        apikey: "key-1",
        apiVersion: "v3",
      });
      const r = (await bus.command("CallbackService.schedule", { phonenumber: "+16175550124" })) as { _id: string };
      const immediate = (await call(srv.url, "GET", `/genesys/1/service/callback?_id=${r._id}`, undefined, { "x-api-key": "key-1" })).json;
      expect(immediate[0]._service_name).toBe("w-named");
      const wrongKey = widget({ dataURL: `${srv.url}/genesys/1/service/callback/w-named`, apikey: "nope" });
      await expect(wrongKey.bus.command("CallbackService.schedule", { phonenumber: "+16175550125" })).rejects.toMatchObject({
        status: 401,
      });
    } finally {
      delete process.env.API_KEYS;
    }
  });

  it("schedule: no data → rejects with 'No data found to schedule callback' and publishes scheduleError; nothing is sent", async () => {
    const { bus, events } = widget({ dataURL: `${srv.url}/genesys/1/service/callback/none` });
    for (const o of [undefined, {}]) {
      await expect(bus.command("CallbackService.schedule", o)).rejects.toBe(NO_SCHEDULE_DATA);
      expect(events.at(-1)).toEqual({ event: "CallbackService.scheduleError", data: "No data found to schedule callback" });
    }
    expect(await env.store.listServices()).toEqual([]);
  });

  it("schedule: a full slot rejects with the server's 40051 body (proposals in availability) and publishes it as scheduleError", async () => {
    await putService("w-full", { _service: "callback", _max_request_by_time_bucket: 1 });
    const { bus, events } = widget({ dataURL: `${srv.url}/genesys/1/service/callback/w-full` });
    const at = "2026-06-02T18:00:00.000Z";
    await bus.command("CallbackService.schedule", { phonenumber: "+16175550126", desiredTime: at });
    const err = await bus.command("CallbackService.schedule", { phonenumber: "+16175550127", desiredTime: at }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 40051, phrase: "NO_AVAILABILITY" });
    expect(Object.keys((err as { availability: object }).availability).length).toBeGreaterThan(0);
    expect(events.at(-1)).toEqual({ event: "CallbackService.scheduleError", data: err });
  });

  it("availability: maps startDate / numberOfDays / maxTimeSlots, resolves the v1 answer (or v2 with version: 2) and publishes availableSlots", async () => {
    await putService("w-av", { _service: "callback", _request_time_bucket: 30 });
    const { bus, events } = widget({ dataURL: `${srv.url}/genesys/1/service/callback/w-av` });
    const v1 = (await bus.command("CallbackService.availability", {
      startDate: "2026-06-03T00:00:00.000Z",
      numberOfDays: "5",
      maxTimeSlots: 3,
    })) as Record<string, number>;
    expect(v1).toEqual({ "2026-06-03T00:00:00.000Z": 100, "2026-06-03T00:30:00.000Z": 100, "2026-06-03T01:00:00.000Z": 100 });
    expect(events.at(-1)).toEqual({ event: "CallbackService.availableSlots", data: v1 });
    const v2 = (await bus.command("CallbackService.availability", {
      startDate: "2026-06-03T00:00:00.000Z",
      endDate: "2026-06-03T01:00:00.000Z",
      version: 2,
    })) as {
      slots: unknown[];
      timezone: string;
    };
    expect(v2.slots).toEqual([
      { utcTime: "2026-06-03T00:00:00.000Z", localTime: "2026-06-03T00:00:00.000", capacity: 100, total: 100 },
      { utcTime: "2026-06-03T00:30:00.000Z", localTime: "2026-06-03T00:30:00.000", capacity: 100, total: 100 },
    ]);
    expect(v2.timezone).toBe("UTC");
  });

  it("availability: no query parameters → rejects with the seed's message and publishes availabilityError; server errors reject with the body", async () => {
    const { bus, events } = widget({ dataURL: `${srv.url}/genesys/1/service/callback/missing` });
    for (const o of [undefined, {}, { serviceName: "x" }]) {
      await expect(bus.command("CallbackService.availability", o)).rejects.toBe(NO_QUERY);
      expect(events.at(-1)).toEqual({
        event: "CallbackService.availabilityError",
        data: "No query parameters passed for callback availability service",
      });
    }
    const err = await bus.command("CallbackService.availability", { numberOfDays: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, code: 40030 });
    expect(events.at(-1)).toEqual({ event: "CallbackService.availabilityError", data: err });
  });

  it("commands return promises with chaining .done / .fail aliases", async () => {
    await putService("w-done", { _service: "callback" });
    const { bus } = widget({ dataURL: `${srv.url}/genesys/1/service/callback/w-done` });
    const seen: unknown[] = [];
    await new Promise<void>((resolve) =>
      bus
        .command("CallbackService.schedule", { phonenumber: "+16175550128" })
        .done((v) => (seen.push(["done", v]), resolve()))
        .fail((e) => seen.push(["fail", e])),
    );
    await new Promise<void>((resolve) =>
      bus
        .command("CallbackService.availability", {})
        .done((v) => seen.push(["done", v]))
        .fail((e) => (seen.push(["fail", e]), resolve())),
    );
    expect(seen).toEqual([
      ["done", expect.objectContaining({ _id: expect.any(String) })],
      ["fail", NO_QUERY],
    ]);
  });
});

describe("CallbackService timeout", () => {
  let stalled: http.Server | undefined;
  afterEach(async () => {
    stalled?.closeAllConnections();
    await new Promise((r) => stalled?.close(r));
  });

  it("rejects a request the server does not answer within ajaxTimeout (default 3000 ms) with status 0 TIMEOUT", async () => {
    stalled = http.createServer(() => {}); // accepts and never answers
    await new Promise<void>((r) => stalled!.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/genesys/1/service/callback/x`;
    const { bus, events } = widget({ dataURL: url, ajaxTimeout: 300 });
    const t0 = Date.now();
    const err = await bus.command("CallbackService.schedule", { phonenumber: "+16175550129" }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(err).toEqual({ status: 0, phrase: "TIMEOUT", message: "No answer from the callback service within 300 ms" });
    expect(events.at(-1)).toEqual({ event: "CallbackService.scheduleError", data: err });
    const dflt = widget({ dataURL: url });
    const t1 = Date.now();
    await expect(dflt.bus.command("CallbackService.availability", { numberOfDays: 1 })).rejects.toMatchObject({ phrase: "TIMEOUT" });
    expect(Date.now() - t1).toBeGreaterThanOrEqual(2900);
  });
});
