// Availability v2 answers are reused within one second while the database is unchanged, and never after a write.
import { describe, it, expect, beforeEach } from "vitest";
import { freshEngine, type Env } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { availabilityV2, availabilityV2Of } from "../lib/callback/availability";
import { serviceConfig } from "../lib/callback/config";

let env: Env;
const params = new URLSearchParams("start=2026-06-02T13:00:00.000Z&end=2026-06-02T15:00:00.000Z");
const ask = async () => await availabilityV2Of(env.store, "svc", params, env.clock.t);
const slotsOf = (b: Uint8Array) => (JSON.parse(Buffer.from(b).toString("utf8")) as { slots: Array<{ capacity: number }> }).slots;

beforeEach(async () => {
  env = freshEngine(Date.parse("2026-06-01T12:00:00.000Z"));
  await putService(env.ctx, "svc", {
    _service: "callback",
    _request_time_bucket: 30,
    _max_request_by_time_bucket: 4,
    _enable_in_queue_checking: false,
  });
});

describe("availability v2 answers kept for a second", () => {
  it("answers the same bytes as computing afresh, and the same answer again within the second", async () => {
    const first = await ask();
    expect(
      Buffer.from(first).equals(Buffer.from(await availabilityV2(env.store, await serviceConfig(env.store, "svc"), params, env.clock.t))),
    ).toBe(true);
    env.clock.t += 999;
    expect(await ask()).toBe(first);
  });

  it("computes afresh in the next second", async () => {
    const first = await ask();
    env.clock.t += 1000;
    expect(await ask()).not.toBe(first);
  });

  it("computes afresh after a booking: the bucket shows one place less at once", async () => {
    expect(slotsOf(await ask())[0]!.capacity).toBe(4);
    await startCallback(env.ctx, "svc", { _customer_number: "+16175550100", _desired_time: "2026-06-02T13:10:00.000Z" });
    expect(slotsOf(await ask())[0]!.capacity).toBe(3);
  });

  it("computes afresh after a configuration change", async () => {
    expect(slotsOf(await ask())[0]!.capacity).toBe(4);
    await putService(env.ctx, "svc", {
      _service: "callback",
      _request_time_bucket: 30,
      _max_request_by_time_bucket: 9,
      _enable_in_queue_checking: false,
    });
    expect(slotsOf(await ask())[0]!.capacity).toBe(9);
  });

  it("computes afresh after another process (another server) wrote to the database", async () => {
    const first = await ask();
    await env.writeAsAnotherServer("UPDATE services SET updated_at = updated_at + 1 WHERE name = 'svc'");
    expect(await ask()).not.toBe(first);
    expect(slotsOf(await ask())).toEqual(slotsOf(first));
  });
});
