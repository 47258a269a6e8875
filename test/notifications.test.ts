import { describe, it, expect, beforeEach, afterEach } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { freshEngine } from "./helpers";
import { putService } from "../lib/callback/config-admin";
import { startCallback } from "../lib/callback/start";
import { cancelCallback } from "../lib/callback/cancel";
import { CLAIM_MS, sendNotifications } from "../lib/execution/notifier";
import { resetSimulator } from "../lib/execution/simulator";

let env: Awaited<ReturnType<typeof freshEngine>>;
let got: any[];
let status: number;
let server: http.Server;
let url: string;
beforeEach(async () => {
  env = freshEngine(Date.parse("2026-06-01T12:00:00.000Z"));
  resetSimulator();
  got = [];
  status = 503;
  server = http.createServer(async (req, res) => {
    let t = "";
    for await (const c of req) t += c;
    if (status === 200) got.push(JSON.parse(t));
    res.writeHead(status).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
});
afterEach(
  () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
);

describe("status notifications", () => {
  it("are written to the outbox with the state change, never sent on the request path, and retried with backoff until delivered", async () => {
    await putService(env.ctx, "n", {
      _service: "callback",
      _enable_status_notification: true,
      _status_notification_target: url,
      _enable_in_queue_checking: "false",
    });
    const r = await startCallback(env.ctx, "n", { _customer_number: "+16175551212", _desired_time: "2026-06-01T15:00:00Z" });
    await cancelCallback(env.ctx, r.id);
    const outbox = async () =>
      await env.store.query<{ attempts: number; next_at: number }>("SELECT attempts, next_at FROM notification_outbox");
    expect(await outbox()).toHaveLength(1); // queued, not sent
    expect(got).toHaveLength(0);
    await sendNotifications(env.ctx); // receiver down (503)
    expect((await outbox())[0].attempts).toBe(1);
    status = 200;
    await sendNotifications(env.ctx); // backoff not elapsed
    expect(got).toHaveLength(0);
    env.clock.t += 1000;
    await sendNotifications(env.ctx);
    expect(got).toEqual([
      {
        event: "state_changed",
        _id: r.id,
        _service_name: "n",
        _callback_state: "COMPLETED",
        _callback_reason: "CANCELLED",
        _customer_number: "+16175551212",
        _desired_time: "2026-06-01T15:00:00.000Z",
        time: "2026-06-01T12:00:00.000Z",
      },
    ]);
    expect(await outbox()).toHaveLength(0);
  });

  it("are not written when _enable_status_notification is off", async () => {
    await putService(env.ctx, "q", { _service: "callback", _status_notification_target: url });
    const r = await startCallback(env.ctx, "q", { _customer_number: "+16175551212", _desired_time: "2026-06-01T15:00:00Z" });
    await cancelCallback(env.ctx, r.id);
    expect(await env.store.query("SELECT count(*) AS n FROM notification_outbox")).toEqual([{ n: 0 }]);
  });

  it("are claimed: two rounds at once (two servers) send each one once, and a round that died leaves them to be sent after its claim", async () => {
    await putService(env.ctx, "c", {
      _service: "callback",
      _enable_status_notification: true,
      _status_notification_target: url,
      _enable_in_queue_checking: "false",
    });
    status = 200;
    for (let i = 0; i < 10; i++) {
      const r = await startCallback(env.ctx, "c", { _customer_number: `+161755512${10 + i}`, _desired_time: "2026-06-01T15:00:00Z" });
      await cancelCallback(env.ctx, r.id);
    }
    const sent = await Promise.all([sendNotifications(env.ctx), sendNotifications(env.ctx)]);
    expect(sent[0] + sent[1]).toBe(10);
    expect(new Set(got.map((n) => n._id)).size).toBe(10);
    expect(got).toHaveLength(10);
    // a sender claims the next ones and dies before sending: nobody sends them until its claim has passed
    for (let i = 0; i < 3; i++) {
      const r = await startCallback(env.ctx, "c", { _customer_number: `+161755513${10 + i}`, _desired_time: "2026-06-01T15:00:00Z" });
      await cancelCallback(env.ctx, r.id);
    }
    expect(await env.store.claimNotifications(env.clock.t, 100, env.clock.t + CLAIM_MS)).toHaveLength(3);
    expect(await sendNotifications(env.ctx)).toBe(0);
    env.clock.t += CLAIM_MS - 1;
    expect(await sendNotifications(env.ctx)).toBe(0);
    env.clock.t += 1;
    expect(await sendNotifications(env.ctx)).toBe(3);
    expect(got).toHaveLength(13);
    expect(await env.store.query("SELECT count(*) AS n FROM notification_outbox")).toEqual([{ n: 0 }]);
  });
});
