// One customer, one number: numbers are stored and compared in E.164 (under the service's _default_country),
// so the same number typed with spaces, dashes or without its country code meets itself in duplicate checks,
// daily limits and lookups. What the customer typed is kept as `_customer_number_typed`.
// Real HTTP, real SQLite, pinned clock (Monday 2026-06-01T12:00:00.000Z).
import { describe, it, expect } from "vitest";
import { addUsers, basic, call, useHttpEnv, type Server } from "./helpers";
import { S, cbService, props, row, settings, type Env } from "./public-fixtures";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)));

const post = (service: string, body: Record<string, unknown>) => call(srv.url, "POST", `${S}/${service}`, body);
const lookup = (number: string, service: string | null) =>
  call(srv.url, "GET", `${S}${service ? `/${service}` : ""}?_customer_number=${encodeURIComponent(number)}`);
const LATER = "2026-06-01T15:00:00.000Z";

describe("Customer number identity", () => {
  it("stores E.164 and keeps what the customer typed as _customer_number_typed (only when it differs)", async () => {
    await cbService(env, "svc", { _enable_in_queue_checking: "false" });
    const typed = await post("svc", { _customer_number: " +1 (617) 555-0123 ", _desired_time: LATER });
    expect((await row(env, typed.json._id)).customer_number).toBe("+16175550123");
    const rec = (await call(srv.url, "GET", `${S}/svc/${typed.json._id}`)).json[0];
    expect(rec).toMatchObject({ _customer_number: "+16175550123", _customer_number_typed: "+1 (617) 555-0123" });
    const plain = await post("svc", { _customer_number: "+16175550124", _desired_time: LATER });
    expect((await props(env, plain.json._id))._customer_number_typed).toBeUndefined();
    // a client cannot set the typed form itself
    const spoof = await post("svc", { _customer_number: "+16175550125", _customer_number_typed: "someone else", _desired_time: LATER });
    expect((await props(env, spoof.json._id))._customer_number_typed).toBeUndefined();
  });

  it("counts differently typed forms of one number as one customer for in-queue checking (429 40001)", async () => {
    await cbService(env, "strict", { _enable_in_queue_checking: "strict" });
    expect((await post("strict", { _customer_number: "+1 617 555 0123", _desired_time: LATER })).status).toBe(200);
    for (const n of ["+16175550123", "(617) 555-0123", "1-617-555-0123"]) {
      const r = await post("strict", { _customer_number: n, _desired_time: LATER });
      expect(r.status).toBe(429);
      expect(r.json.code).toBe(40001);
    }
  });

  it("counts differently typed forms of one number together for the per-parameter daily limit (429 40004)", async () => {
    await cbService(env, "lim", { _enable_in_queue_checking: "false", _throttle_request_parameters_limit: 2 });
    expect((await post("lim", { _customer_number: "+1 617 555 0123" })).status).toBe(200);
    expect((await post("lim", { _customer_number: "617.555.0123" })).status).toBe(200);
    const r = await post("lim", { _customer_number: "16175550123" });
    expect(r.status).toBe(429);
    expect(r.json).toMatchObject({ code: 40004, message: expect.stringContaining("_customer_number=+16175550123") });
  });

  it("matches a lookup by any typed form of the number, under the service's _default_country", async () => {
    await cbService(env, "us", { _enable_in_queue_checking: "false" });
    await cbService(env, "gb", { _enable_in_queue_checking: "false", _default_country: "GB" });
    const us = (await post("us", { _customer_number: "+1 617 555 0123", _desired_time: LATER })).json._id;
    const gb = (await post("gb", { _customer_number: "020 7946 0018", _desired_time: LATER })).json._id;
    for (const n of ["+16175550123", "617-555-0123", "(617) 555 0123", "16175550123"]) {
      const r = await lookup(n, "us");
      expect(r.status).toBe(200);
      expect(r.json.map((x: { _id: string }) => x._id)).toEqual([us]);
    }
    for (const n of ["+44 20 7946 0018", "02079460018", "442079460018"])
      expect((await lookup(n, "gb")).json.map((x: { _id: string }) => x._id)).toEqual([gb]);
    // without a service, each service's rules apply: a GB national number finds the GB callback
    expect((await lookup("020 7946 0018", null)).json.map((x: { _id: string }) => x._id)).toEqual([gb]);
    expect((await call(srv.url, "GET", `${S}/gb/${gb}`)).json[0]._customer_number).toBe("+442079460018");
  });

  it("matches an admin queue filter on _customer_number by any typed form of the number", async () => {
    await addUsers(env.store);
    await settings(env, { "filter-keys": "_customer_number" });
    await cbService(env, "svc", { _enable_in_queue_checking: "false" });
    const id = (await post("svc", { _customer_number: "+16175550123", _desired_time: LATER })).json._id;
    await post("svc", { _customer_number: "+16175550124", _desired_time: LATER });
    const q = `/genesys/1/admin/callback/queues?target=svc&_customer_number=${encodeURIComponent("(617) 555-0123")}`;
    const r = await call(srv.url, "GET", q, undefined, { authorization: basic("monitor") });
    expect(r.status).toBe(200);
    expect(r.json.svc.map((x: { _id: string }) => x._id)).toEqual([id]);
  });

  it("keeps a number without an E.164 form (impossible numbers allowed) in a canonical digits form, matched the same way", async () => {
    await cbService(env, "ext", { _disallow_impossible_phone_numbers: "false", _enable_in_queue_checking: "strict" });
    const r = await post("ext", { _customer_number: "51-15", _desired_time: LATER });
    expect((await row(env, r.json._id)).customer_number).toBe("5115");
    expect((await post("ext", { _customer_number: "51 15", _desired_time: LATER })).json.code).toBe(40001);
    expect((await lookup("(51) 15", "ext")).json.map((x: { _id: string }) => x._id)).toEqual([r.json._id]);
  });

  it("treats a changed number on PUT alike: E.164 stored, typed form kept; the same number typed differently is no change", async () => {
    await cbService(env, "svc", { _enable_in_queue_checking: "false" });
    const id = (await post("svc", { _customer_number: "+16175550123", _desired_time: LATER })).json._id;
    expect((await call(srv.url, "PUT", `${S}/svc/${id}`, { _customer_number: "617 555 0199" })).status).toBe(200);
    expect((await row(env, id)).customer_number).toBe("+16175550199");
    expect((await props(env, id))._customer_number_typed).toBe("617 555 0199");
    const version = (await row(env, id)).version;
    expect((await call(srv.url, "PUT", `${S}/svc/${id}`, { _customer_number: "+1 617-555-0199" })).status).toBe(200);
    expect((await row(env, id)).version).toBe(version);
    expect((await call(srv.url, "PUT", `${S}/svc/${id}`, { _customer_number: "+16175550123" })).status).toBe(200);
    expect((await row(env, id)).customer_number).toBe("+16175550123");
    expect((await props(env, id))._customer_number_typed).toBeUndefined();
  });
});
