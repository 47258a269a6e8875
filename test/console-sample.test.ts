import { describe, it, expect } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { putService } from "../lib/callback/config-admin";
import { buildRequest, EMPTY_FIELDS, toCurl, OPERATIONS, type SampleFields } from "../lib/console/sample-request";
import { useHttpEnv, type Env, type Server } from "./helpers";

const run = promisify(execFile);
let env: Env;
let srv: Server;
useHttpEnv((e, s) => ((env = e), (srv = s)));

const fields = (over: Partial<SampleFields> = {}): SampleFields => ({ service: "sales", ...EMPTY_FIELDS, ...over });

/** Sends the request exactly as the Sample panel does (fetch), answering status and JSON body. */
async function send(r: Awaited<ReturnType<typeof buildRequest>>) {
  const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe("Sample panel requests", () => {
  it("every operation builds a request the public API answers (start, query, availability, reschedule, position, cancel)", async () => {
    await putService(env.ctx, "sales", { _service: "callback", _enable_in_queue_checking: "false" });
    const start = await send(
      buildRequest("start-now", fields({ number: "+1 617 555 0100", properties: [{ key: "topic", value: "billing" }] }), srv.url),
    );
    expect(start).toMatchObject({ status: 200, json: { _id: expect.any(String) } });
    const id = start.json._id as string;
    const byId = await send(buildRequest("query-id", fields({ id }), srv.url));
    expect(byId.json[0]).toMatchObject({ _id: id, topic: "billing" });
    const byNumber = await send(buildRequest("query-number", fields({ number: "+16175550100" }), srv.url));
    expect(byNumber.json.map((r: { _id: string }) => r._id)).toEqual([id]);
    expect((await send(buildRequest("availability-v1", fields({ days: "2", maxSlots: "3" }), srv.url))).status).toBe(200);
    expect((await send(buildRequest("availability-v2", fields({ days: "1", timezone: "Europe/Paris" }), srv.url))).json).toMatchObject({
      timezone: "Europe/Paris",
    });
    expect((await send(buildRequest("queue-position", fields({ id }), srv.url))).status).toBe(200);
    const desired = new Date(env.clock.t + 3 * 86_400_000).toISOString();
    const later = await send(buildRequest("start-scheduled", fields({ number: "+1 617 555 0101", desiredTime: desired }), srv.url));
    expect((await env.store.getCallback(later.json._id))!.state).toBe("SCHEDULED");
    const moved = new Date(env.clock.t + 4 * 86_400_000).toISOString();
    expect((await send(buildRequest("reschedule", fields({ id: later.json._id, desiredTime: moved }), srv.url))).status).toBe(200);
    expect((await env.store.getCallback(later.json._id))!.desired_time).toBe(Date.parse(moved));
    expect((await send(buildRequest("cancel", fields({ id: later.json._id }), srv.url))).status).toBe(200);
    expect((await env.store.getCallback(later.json._id))!.state).toBe("COMPLETED");
    expect(OPERATIONS).toHaveLength(9);
  });

  it("shows the API key header only when one is typed, and leaves blank query parameters out", () => {
    expect(buildRequest("cancel", fields({ id: "a/b" }), "http://x").headers).toEqual({ accept: "application/json" });
    const r = buildRequest("availability-v1", fields({ apiKey: " k1 ", days: "2" }), "http://x");
    expect(r.headers["x-api-key"]).toBe("k1");
    expect(r.url).toBe("http://x/genesys/1/service/callback/sales/availability?number-of-days=2");
    expect(buildRequest("cancel", fields({ id: "a/b" }), "http://x").url).toBe("http://x/genesys/1/service/callback/sales/a%2Fb");
  });

  it("the curl command, run by a shell, sends the same request (quotes in values included)", async () => {
    await putService(env.ctx, "sales", { _service: "callback", _enable_in_queue_checking: "false" });
    const r = buildRequest(
      "start-now",
      fields({ number: "+1 617 555 0102", properties: [{ key: "note", value: `it's "urgent" $HOME` }] }),
      srv.url,
    );
    const { stdout } = await run("sh", ["-c", toCurl(r)]);
    expect(stdout).toMatch(/^HTTP\/1\.1 200/);
    const id = JSON.parse(stdout.slice(stdout.indexOf("\r\n\r\n") + 4))._id as string;
    expect(JSON.parse((await env.store.getCallback(id))!.props).note).toBe(`it's "urgent" $HOME`);
  });
});
