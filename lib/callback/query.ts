// Query-Callback by ID and by lookup properties.
import type { CallbackCondition } from "../../db/filters";
import type { EngineCtx } from "./context";
import { CallbackError, badParameter, invalidOperation } from "./errors";
import { allNumberRules, callbackService, resolveConfig, settingsOf } from "./config";
import { list, optValue } from "./options";
import { lookupForms, type NumberRules } from "./phone";
import { pickRecord, toRecord } from "./record";
import { isState } from "./state";
import { parseTime } from "./time";

export async function queryById(ctx: EngineCtx, id: string): Promise<Record<string, string>[]> {
  const row = await ctx.store.getCallback(id);
  if (!row) throw new CallbackError(40030, `Callback ${id} cannot be found`);
  return [toRecord(row)];
}

const RESERVED = new Set(["operand", "_callback_state", "scheduled_after", "scheduled_before", "_id"]);

/** Lookup query: `params` are the URL query params (repeated keys keep their first value). */
export async function queryByLookup(ctx: EngineCtx, service: string | null, params: URLSearchParams): Promise<Record<string, string>[]> {
  const settings = await settingsOf(ctx.store);
  let lookupKeys: string[];
  let rules: () => NumberRules[] | Promise<NumberRules[]>;
  if (service) {
    const cfg = await resolveConfig(ctx.store, service, (await callbackService(ctx.store, service)).options, settings);
    lookupKeys = cfg.lookupKeys;
    rules = () => [cfg.numberRules];
  } else {
    lookupKeys = list(optValue("_customer_lookup_keys", {}, settings));
    rules = () => allNumberRules(ctx.store);
  }
  if (params.get("_id")) return await queryById(ctx, params.get("_id")!);
  const operand = (params.get("operand") ?? "AND").toUpperCase();
  if (operand !== "AND" && operand !== "OR") throw badParameter(`Invalid operand '${params.get("operand")}': use AND or OR`);
  const lookups: Array<[string, string]> = [];
  for (const [rawKey, value] of params) {
    if (RESERVED.has(rawKey)) continue;
    const key = rawKey === "customer_number" ? "_customer_number" : rawKey;
    if (!lookupKeys.includes(key)) throw invalidOperation(`Cannot process 'filter' parameter correctly : ${rawKey}`);
    if (!lookups.some(([k]) => k === key)) lookups.push([key, value]);
  }
  if (lookups.length === 0) throw badParameter(`Missing lookup parameter: one of ${lookupKeys.join(", ")}`);
  const ruleList = lookups.some(([key]) => key === "_customer_number") ? await rules() : [];
  const matches = lookups.map(([key, value]): CallbackCondition =>
    key === "_customer_number"
      ? // matched as stored: the number's identity (E.164) under the service's rules
        { field: "customer_number", op: "in", values: lookupForms(value, ruleList) }
      : { field: { prop: key }, op: "eq", value },
  );
  const all: CallbackCondition[] = operand === "AND" ? matches : [];
  if (service) all.push({ field: "service_name", op: "eq", value: service });
  const st = params.get("_callback_state");
  if (st) {
    const neg = st.startsWith("!");
    const s = (neg ? st.slice(1) : st).toUpperCase();
    if (!isState(s)) throw invalidOperation(`Cannot process 'filter' parameter correctly : _callback_state=${st}`);
    all.push({ field: "state", op: neg ? "ne" : "eq", value: s });
  }
  for (const [p, op] of [
    ["scheduled_after", "gte"],
    ["scheduled_before", "lte"],
  ] as const) {
    const v = params.get(p);
    if (!v) continue;
    const t = parseTime(v);
    if (t === null) throw badParameter(`Invalid ${p}: '${v}'`);
    all.push({ field: "desired_time", op, value: t });
  }
  const rows = await ctx.store.findCallbacks({ all, any: operand === "OR" ? matches : undefined }, 1000);
  const extra = [...list(optValue("returned-keys", settings)), ...lookups.map(([k]) => k)];
  return rows.map((r) => pickRecord(r, extra));
}
