// A reschedule that makes a callback immediate joins the queue now: the limits of an immediate start apply to it.
// Real HTTP, real SQLite, pinned clock (Monday 2026-06-01T12:00:00.000Z).
import { describe, it, expect } from "vitest";
import { call, useHttpEnv, type Server } from "./helpers";
import { S, num, cbService, row, type Env } from "./public-fixtures";

let srv: Server;
let env: Env;
useHttpEnv((e, s) => ((env = e), (srv = s)));

describe("Reschedule to an immediate time", () => {
  it("is refused with 429 40004 when the number reached its per-parameter daily limit, and the callback stays SCHEDULED", async () => {
    await cbService(env, "lim", { _enable_in_queue_checking: "false", _throttle_request_parameters_limit: 1 });
    expect((await call(srv.url, "POST", `${S}/lim`, { _customer_number: num(1) })).status).toBe(200); // immediate: counts
    const later = await call(srv.url, "POST", `${S}/lim`, { _customer_number: num(1), _desired_time: "2026-06-01T15:00:00.000Z" });
    expect(later.status).toBe(200); // scheduled callbacks do not count
    const id = later.json._id as string;

    const r = await call(srv.url, "PUT", `${S}/lim/${id}`, { _new_desired_time: "2026-06-01T12:00:00.000Z" });
    expect(r.status).toBe(429);
    expect(r.json).toMatchObject({
      code: 40004,
      phrase: "PARAMETER_DAILY_LIMIT",
      message: `Callback for _customer_number=${num(1)} rejected because previous callbacks for this parameter were requested for more than 1 times today.`,
    });
    expect(await row(env, id)).toMatchObject({ state: "SCHEDULED", immediate: 0, desired_time: Date.parse("2026-06-01T15:00:00.000Z") });
  });

  it("counts a property listed in _throttle_request_parameters by the callback's stored value", async () => {
    await cbService(env, "lim2", {
      _enable_in_queue_checking: "false",
      _throttle_request_parameters: "account",
      _throttle_request_parameters_limit: 1,
    });
    expect((await call(srv.url, "POST", `${S}/lim2`, { _customer_number: num(1), account: "A-1" })).status).toBe(200);
    const id = (
      await call(srv.url, "POST", `${S}/lim2`, { _customer_number: num(2), account: "A-1", _desired_time: "2026-06-01T15:00:00.000Z" })
    ).json._id;
    const other = (
      await call(srv.url, "POST", `${S}/lim2`, { _customer_number: num(3), account: "B-2", _desired_time: "2026-06-01T15:00:00.000Z" })
    ).json._id;
    expect((await call(srv.url, "PUT", `${S}/lim2/${id}`, { _new_desired_time: "2026-06-01T12:00:00.000Z" })).json.code).toBe(40004);
    expect((await call(srv.url, "PUT", `${S}/lim2/${other}`, { _new_desired_time: "2026-06-01T12:00:00.000Z" })).status).toBe(200);
    expect((await row(env, other)).state).toBe("QUEUED");
  });
});
