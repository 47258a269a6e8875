// Public Callback API handlers: thin adapters from HTTP to the engine verbs.
import { defaultCtx } from "../../runtime";
import { recordRejection, startAndHandOff } from "../../callback/start";
import { cancelCallback } from "../../callback/cancel";
import { updateAndHandOff } from "../../callback/reschedule";
import { queryById, queryByLookup } from "../../callback/query";
import { availabilityV1, availabilityV2Of } from "../../callback/availability";
import { serviceConfig } from "../../callback/config";
import { helperService, phoneNumber } from "../../callback/helper-services";
import { queuePosition } from "../../callback/queue-position";
import { readBody } from "../body";
import { json, jsonBytes, empty } from "../respond";
import type { RouteCtx } from "../router";

const IMMEDIATE_ANSWER = { _dialog_id: "0", _action: "ConfirmationDialog", _text: "You will receive the call shortly", _ok_title: "Ok" };
const LEGACY_ANSWER = { ID: "0", Action: "ConfirmationDialog", Text: "You will receive the call shortly", OkTitle: "Ok" };

// POST /genesys/1/service/callback/{service} — Start-Callback
export async function start(c: RouteCtx): Promise<Response> {
  const ctx = defaultCtx("api");
  let body: Record<string, unknown>;
  try {
    // URL query params count as request params, as in GMS (seed: `POST /1/service/callback/foo?_redirect=""`);
    // body params win
    body = { ...Object.fromEntries(c.url.searchParams), ...(await readBody(c.req)) };
  } catch (e) {
    await recordRejection(ctx, c.params.service, e); // an unreadable request is a rejected request too
    throw e;
  }
  const r = await startAndHandOff(ctx, c.params.service, body);
  if (!r.immediate) return json({ _id: r.id });
  return json({ _id: r.id, ...IMMEDIATE_ANSWER, ...LEGACY_ANSWER });
}

// DELETE /genesys/1/service/callback/{service}/{id} — Cancel-Callback
export async function cancel(c: RouteCtx): Promise<Response> {
  await cancelCallback(defaultCtx("api"), c.params.id, {
    discardOrsFailure: /^true$/i.test(c.url.searchParams.get("discard_ors_failure") ?? ""),
  });
  return empty(200);
}

// PUT /genesys/1/service/callback/{service}/{id} — Reschedule / update / progress report
export async function update(c: RouteCtx): Promise<Response> {
  await updateAndHandOff(defaultCtx("api"), c.params.id, await readBody(c.req));
  return json({});
}

// GET /genesys/1/service/callback/{service}/{id} — Query by ID
export const getById = async (c: RouteCtx) => json(await queryById(defaultCtx(), c.params.id));

// GET /genesys/1/service/callback/{service}?<key>=<value> — Query by lookup properties
export const queryService = async (c: RouteCtx) => json(await queryByLookup(defaultCtx(), c.params.service, c.url.searchParams));

// GET /genesys/1/service/callback?_id=… | ?<key>=<value> — Query without a service
export const queryAll = async (c: RouteCtx) => json(await queryByLookup(defaultCtx(), null, c.url.searchParams));

// GET /genesys/1/service/callback/{service}/availability — Availability v1
export async function availability1(c: RouteCtx): Promise<Response> {
  const ctx = defaultCtx();
  return json(await availabilityV1(ctx.store, await serviceConfig(ctx.store, c.params.service), c.url.searchParams, ctx.now()));
}

// GET /genesys/2/service/callback/{service}/availability — Availability v2
export async function availability2(c: RouteCtx): Promise<Response> {
  const ctx = defaultCtx();
  return jsonBytes(await availabilityV2Of(ctx.store, c.params.service, c.url.searchParams, ctx.now()));
}

// POST|GET /genesys/1/service/{id}/check-queue-position — queue position and EWT
export const checkQueuePosition = async (c: RouteCtx) => json(await queuePosition(defaultCtx(), c.params.name));

// GET /genesys/1/service/{office-hours|capacity service} — builtin helper services
export const helper = async (c: RouteCtx) => json(await helperService(defaultCtx(), c.params.name, c.url.searchParams));

// GET /genesys/1/phonenumber?number=&country= — phone number helper
export const phone = (c: RouteCtx) => json(phoneNumber(c.url.searchParams));

// GET /genesys/1/ping — a trivial JSON route (the benchmark's baseline)
export const ping = () => json({ ok: true });

// POST /genesys/1/ping — trivial route that reads and parses a body (the benchmark's POST baseline)
export const pingPost = async (c: RouteCtx) => json({ ok: true, keys: Object.keys(await readBody(c.req)).length });
