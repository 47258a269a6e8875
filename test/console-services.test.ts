import { describe, it, expect, beforeEach } from "vitest";
import { freshEngine } from "./helpers";
import { putService, getService, getSettings } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { validateOptions, OPTION_DEFS, OPTION_GROUPS } from "../lib/callback/options";
import { CALLBACK_PRESETS, TEMPLATES, templateOptions } from "../lib/console/service-templates";
import {
  duplicateService,
  editorFields,
  saveService,
  saveSettings,
  serviceEditor,
  servicesOverview,
  setPaused,
} from "../lib/console/services";
import { CallbackError } from "../lib/callback/errors";

// 2026-06-01 02:00 UTC = 22:00 on 31 May in New York: "today" differs by zone
const NOW = Date.parse("2026-06-01T02:00:00.000Z");
const H = 3_600_000;
let env: Awaited<ReturnType<typeof freshEngine>>;
let seq = 0;

const start = async (service: string, at: number) =>
  await startCallback(env.ctx, service, { _customer_number: `+1617555${String(3000 + seq++)}`, _desired_time: new Date(at).toISOString() });
const refusal = async (fn: () => unknown): Promise<CallbackError> => {
  try {
    await fn();
  } catch (e) {
    if (e instanceof CallbackError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
};

beforeEach(async () => {
  env = freshEngine(NOW);
  await putService(env.ctx, "hours", { _service: "office-hours", _timezone: "America/New_York", _bh_regular1: "Mon-Sun 00:00-24:00" });
  await putService(env.ctx, "plan", { _service: "capacity", _timezone: "UTC", _capacity_1: { 1: { "0000": 5 } } });
  await putService(env.ctx, "sales", {
    _service: "callback",
    _business_hours_service: "hours",
    _capacity_service: "plan",
    _enable_in_queue_checking: "false",
  });
  await putService(env.ctx, "support", { _service: "callback", _redirect: "sales", _paused: "true", _enable_in_queue_checking: "false" });
});

describe("Configured Services list", () => {
  it("names each service's kind, what it references, what references it, and whether it is paused", async () => {
    const { rows } = await servicesOverview(env.store, NOW, "UTC");
    expect(rows.map((r) => [r.name, r.kind, r.paused])).toEqual([
      ["hours", "office-hours", false],
      ["plan", "capacity", false],
      ["sales", "callback", false],
      ["support", "callback", true],
    ]);
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by.sales!.references).toEqual([
      { option: "_business_hours_service", service: "hours" },
      { option: "_capacity_service", service: "plan" },
    ]);
    expect(by.sales!.referencedBy).toEqual([{ service: "support", option: "_redirect" }]);
    expect(by.hours!.referencedBy).toEqual([{ service: "sales", option: "_business_hours_service" }]);
    expect(by.support!.referencedBy).toEqual([]);
  });

  it("counts the callbacks whose desired time falls on today's local day of the display zone", async () => {
    const early = Date.parse("2026-06-01T03:00:00.000Z"); // 1 June UTC; 31 May 23:00 in New York
    const late = Date.parse("2026-06-01T20:00:00.000Z"); // 1 June in both zones
    await putService(env.ctx, "walk-in", { _service: "callback", _enable_in_queue_checking: "false" });
    await start("walk-in", early);
    await start("walk-in", late);
    await start("walk-in", late + 24 * H); // tomorrow everywhere
    const count = async (zone: string) =>
      (await servicesOverview(env.store, NOW, zone)).rows.find((r) => r.name === "walk-in")!.callbacksToday;
    expect(await count("UTC")).toBe(2);
    expect(await count("America/New_York")).toBe(1); // today there is 31 May: only the 23:00 one
  });
});

describe("option editor", () => {
  it("gives every option of the schema a group, and the editor an input per option of the scope plus the kept unknown ones", () => {
    for (const d of OPTION_DEFS) expect(OPTION_GROUPS).toContain(d.group);
    const fields = editorFields("office-hours", {
      _service: "office-hours",
      _timezone: "UTC",
      _bh_regular2: "Mon 9:00-10:00",
      x_note: "kept",
    });
    expect(fields.map((f) => [f.name, f.group])).toEqual([
      ["_timezone", "general"],
      ["_bh_regular2", "office-hours"],
      ["x_note", "other"],
    ]);
    const cb = editorFields("callback", {});
    expect(cb.find((f) => f.name === "_request_time_bucket")).toMatchObject({ type: "enum", placeholder: "5", group: "capacity" });
    expect(cb.find((f) => f.name === "_business_hours_service")).toMatchObject({ type: "service", refKind: "office-hours" });
    expect(cb.some((f) => f.name === "_service")).toBe(false);
  });

  it("reads a service's options as text with the services each picker offers", async () => {
    const e = (await serviceEditor(env.store, "plan"))!;
    expect(e.options._capacity_1).toBe('{"1":{"0000":5}}');
    expect(e.referencedBy).toEqual([{ service: "sales", option: "_capacity_service" }]);
    expect(e.services).toEqual({ callback: ["sales", "support"], "office-hours": ["hours"], capacity: ["plan"] });
    expect(await serviceEditor(env.store, "nope")).toBeNull();
  });

  it("refuses a bad save naming each bad option, and stores nothing", async () => {
    const e = await refusal(
      async () =>
        await saveService(env.ctx, "sales", { _service: "callback", _request_time_bucket: "7", _business_hours_service: "plan" }, false),
    );
    expect(e.status).toBe(400);
    expect(e.toBody().properties).toEqual({
      _request_time_bucket: "must be one of 5, 10, 15, 20, 30, 60, 120",
      _business_hours_service: "refers to 'plan', which is a capacity service, not office-hours",
    });
    expect((await getService(env.ctx, "sales"))._business_hours_service).toBe("hours");
  });

  it("saves unset inputs as absent (the default applies) and keeps a value it did not change in its stored form", async () => {
    await saveService(
      env.ctx,
      "plan",
      { _service: "capacity", _timezone: "UTC", _capacity_1: '{"1":{"0000":5}}', _max_capacity: "" },
      false,
    );
    expect(await getService(env.ctx, "plan")).toEqual({ _service: "capacity", _timezone: "UTC", _capacity_1: { 1: { "0000": 5 } } });
  });

  it("adds a new service only under a free, valid name", async () => {
    expect((await refusal(async () => await saveService(env.ctx, "sales", { _service: "callback" }, true))).toBody().properties).toEqual({
      name: "a service named sales already exists",
    });
    expect((await refusal(async () => await saveService(env.ctx, "bad name", { _service: "callback" }, true))).status).toBe(400);
    await saveService(env.ctx, "new-one", { _service: "callback", _media_type: "chat" }, true);
    expect(await getService(env.ctx, "new-one")).toEqual({ _service: "callback", _media_type: "chat" });
  });

  it("pauses and resumes a callback service keeping its other options", async () => {
    await setPaused(env.ctx, "sales", true);
    expect(await getService(env.ctx, "sales")).toMatchObject({ _paused: "true", _capacity_service: "plan" });
    await setPaused(env.ctx, "sales", false);
    expect((await getService(env.ctx, "sales"))._paused).toBe("false");
    expect((await refusal(async () => await setPaused(env.ctx, "hours", true))).code).toBe(40020);
  });

  it("duplicates a service under a new name, refusing a taken one", async () => {
    await duplicateService(env.ctx, "sales", "sales-copy");
    expect(await getService(env.ctx, "sales-copy")).toEqual(await getService(env.ctx, "sales"));
    expect((await refusal(async () => await duplicateService(env.ctx, "sales", "support"))).status).toBe(400);
  });

  it("saves the global settings through the settings schema", async () => {
    expect((await refusal(async () => await saveSettings(env.ctx, { _throttle_ttl_1: "0" }))).toBody().properties).toEqual({
      _throttle_ttl_1: "must be >= 1",
    });
    await saveSettings(env.ctx, { _throttle_ttl_1: "60", "returned-keys": "" });
    expect(await getSettings(env.ctx)).toEqual({ _throttle_ttl_1: "60" });
  });
});

describe("Add New Service templates", () => {
  it("every template and every callback preset validates against the option schemas, and stores", async () => {
    for (const t of TEMPLATES) expect(validateOptions(templateOptions(t), t), t).toEqual([]);
    expect(CALLBACK_PRESETS.map((p) => p.label)).toEqual([
      "User Originated Immediate",
      "User Originated Delayed",
      "User Terminated Immediate",
      "User Terminated Delayed",
      "User Terminated Scheduled",
      "User Terminated Preview",
      "Chat Immediate",
      "Chat Delayed",
      "Samples",
    ]);
    for (const p of CALLBACK_PRESETS) {
      const options = templateOptions("callback", p.id);
      expect(validateOptions(options, "callback"), p.label).toEqual([]);
      // every preset option is one the schema knows (none kept only as an unknown option)
      for (const k of Object.keys(options))
        expect(
          OPTION_DEFS.some((d) => d.name === k && d.scopes.includes("callback")),
          k,
        ).toBe(true);
      await saveService(env.ctx, `preset-${p.id}`, options, true);
    }
    await saveService(env.ctx, "tpl-capacity", templateOptions("capacity"), true);
    await saveService(env.ctx, "tpl-hours", templateOptions("office-hours"), true);
  });
});
