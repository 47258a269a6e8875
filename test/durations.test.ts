import { describe, it, expect } from "vitest";
import { addDuration } from "../lib/callback/time";
import { freshEngine } from "./helpers";
import { putService, putSettings } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { cancelCallback } from "../lib/callback/cancel";

const t = (iso: string) => Date.parse(iso);

describe("durations: one meaning of every unit", () => {
  it("adds calendar months clamped to the month's end, and fixed lengths for s, m, h, d", () => {
    expect(new Date(addDuration(t("2026-01-31T10:00:00Z"), { amount: 1, unit: "M" })).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(new Date(addDuration(t("2028-01-31T10:00:00Z"), { amount: 1, unit: "M" })).toISOString()).toBe("2028-02-29T10:00:00.000Z");
    expect(addDuration(0, { amount: 2, unit: "d" })).toBe(2 * 864e5);
    expect(addDuration(0, { amount: 3, unit: "h" }) + addDuration(0, { amount: 4, unit: "m" })).toBe(3 * 36e5 + 4 * 6e4);
  });

  it("purges a completed callback a calendar month after its expiry with completed-retention=1M (as _reject_future_desired_time counts months)", async () => {
    const env = freshEngine(t("2026-01-20T12:00:00.000Z"));
    await putService(env.ctx, "svc", { _service: "callback", _ttl: 11 * 86400 + 3600 });
    await putSettings(env.ctx, { "completed-retention": "1M" });
    const { id } = await startCallback(env.ctx, "svc", { _customer_number: "+16175550100", _desired_time: "2026-01-20T13:00:00.000Z" });
    await cancelCallback(env.ctx, id);
    // expiry 2026-01-31T14:00Z; one calendar month later is 2026-02-28T14:00Z (not 30 days: 2026-03-02)
    expect(new Date((await env.store.getCallback(id))!.due_at!).toISOString()).toBe("2026-02-28T14:00:00.000Z");
  });
});
