import { describe, it, expect } from "vitest";
import { validateOptions, OPTION_DEFS, optValue, parseDuration } from "../lib/callback/options";

const issuesOf = (o: Record<string, unknown>, scope: Parameters<typeof validateOptions>[1] = "callback") =>
  Object.fromEntries(
    validateOptions({ _service: scope === "settings" ? undefined : scope, ...o }, scope).map((i) => [i.option, i.message]),
  );

describe("option schemas", () => {
  it("accepts good values of every option type, as strings or JSON values", () => {
    expect(
      issuesOf({
        _type: "ors",
        _ors: "http://127.0.0.1:9000/ors",
        _request_time_bucket: 15,
        _max_request_by_time_bucket: "12",
        _fix_plus_on_int_phone_numbers: "false",
        _disallow_premium_phone_numbers: true,
        _default_country: "fr",
        _enable_in_queue_checking: "strict",
        _reject_future_desired_time: "2M",
        _sim_speed: "2.5",
        _business_hours_service: "oh.1",
      }),
    ).toEqual({});
    expect(
      issuesOf(
        {
          _timezone: "Asia/Kolkata",
          _bh_regular1: "Mon-Fri 9:00-17:00",
          _bh_add: "12-24 10:00-12:00",
          _holiday3: "2026-12-25",
          _effective_dates1: "2026-01-01 to 2026-12-31",
        },
        "office-hours",
      ),
    ).toEqual({});
    expect(
      issuesOf(
        {
          _timezone: "UTC",
          _capacity_1: { 1: { "0800": 5 } },
          _capacity_2: '{"2": {"0900": 3}}',
          _capacity_add: { "2026-12-24": { "0800": 1 } },
          _max_capacity: 20,
        },
        "capacity",
      ),
    ).toEqual({});
    expect(
      issuesOf({ "returned-keys": "_desired_time,foo", max_queued_callbacks_per_service: 10, "completed-retention": "3d" }, "settings"),
    ).toEqual({});
  });

  it("rejects bad values and names every bad option", () => {
    const bad = issuesOf({
      _type: "sip",
      _ors: "not a url",
      _request_time_bucket: 7,
      _max_request_by_time_bucket: "many",
      _ttl: 1.5,
      _fix_plus_on_int_phone_numbers: "yes",
      _default_country: "ZZ",
      _enable_in_queue_checking: "maybe",
      _reject_future_desired_time: "soon",
      _sim_answer_rate: 2,
      _business_hours_service: "bad name!",
      _max_ors_submit_attempts: 0,
    });
    expect(Object.keys(bad).sort()).toEqual([
      "_business_hours_service",
      "_default_country",
      "_enable_in_queue_checking",
      "_fix_plus_on_int_phone_numbers",
      "_max_ors_submit_attempts",
      "_max_request_by_time_bucket",
      "_ors",
      "_reject_future_desired_time",
      "_request_time_bucket",
      "_sim_answer_rate",
      "_ttl",
      "_type",
    ]);
    expect(bad._ttl).toMatch(/integer/);
    expect(bad._request_time_bucket).toMatch(/one of 5, 10, 15, 20, 30, 60, 120/);
    expect(bad._default_country).toMatch(/ISO 3166/);
    expect(bad._max_ors_submit_attempts).toMatch(/>= 1/);
  });

  it("rejects malformed office-hours and capacity entries and a missing time zone", () => {
    const oh = issuesOf({ _timezone: "Mars/Olympus", _bh_regular1: "Funday 9:00-17:00", _holiday2: "2026-13-45" }, "office-hours");
    expect(Object.keys(oh).sort()).toEqual(["_bh_regular1", "_holiday2", "_timezone"]);
    expect(issuesOf({}, "office-hours")._timezone).toBe("is required");
    const cap = issuesOf({ _timezone: "UTC", _capacity_3: "{not json", _capacity_add: { "2026-12-24": { "2500": 1 } } }, "capacity");
    expect(Object.keys(cap).sort()).toEqual(["_capacity_3", "_capacity_add"]);
  });

  it("keeps unknown options untouched and treats empty strings as not set", () => {
    expect(issuesOf({ _my_custom_option: { any: ["thing"] }, foo: "bar", _ttl: "" })).toEqual({});
    expect(optValue("_ttl", { _ttl: "" })).toBe(86400);
    expect(optValue("_ttl", { _ttl: "60" })).toBe(60);
    expect(optValue("_throttle_ttl_1", {}, { _throttle_ttl_1: "42" })).toBe(42);
    expect(optValue("_fix_plus_on_int_phone_numbers", { _fix_plus_on_int_phone_numbers: "FALSE" })).toBe(false);
  });

  it("gives every option a type, a description and, where GMS names one, a default", () => {
    for (const d of OPTION_DEFS) {
      expect(d.description.length, d.name).toBeGreaterThan(5);
      expect(d.type, d.name).toBeTruthy();
    }
    const defaults = Object.fromEntries(OPTION_DEFS.map((d) => [d.name, d.default]));
    expect(defaults).toMatchObject({
      _type: "builtin",
      _request_time_bucket: 5,
      _max_request_by_time_bucket: 100,
      _request_execution_time_buffer: 120,
      _throttle_callbacks_per_service_1: 500,
      _throttle_ttl_1: 300,
      _throttle_callbacks_per_service_2: 1000,
      _throttle_ttl_2: 3600,
      _throttle_request_parameters_limit: 6,
      _max_ors_submit_attempts: 3,
      _ttl: 86400,
      _reject_past_desired_time: 300,
      _reject_future_desired_time: "1M",
      _urs_queued_ttl: 14400,
      _default_country: "US",
      _max_capacity: 1000,
    });
  });

  it("parses durations with units and bare seconds", () => {
    expect(parseDuration("1M")).toEqual({ amount: 1, unit: "M" });
    expect(parseDuration("90")).toEqual({ amount: 90, unit: "s" });
    expect(parseDuration("2x")).toBeNull();
  });
});
