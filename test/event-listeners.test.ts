// Event listeners (metrics count outcomes from them) hear exactly the events the database keeps: an event written
// in a transaction is told after COMMIT, never for a rollback, a rolled-back savepoint or a retried attempt.
import { afterEach, describe, expect, it } from "vitest";
import { eventListeners, type EventInput } from "../db/callback-store";
import { freshEngine, onPostgres } from "./helpers";

const heard: string[] = [];
const listener = (e: EventInput) => heard.push(e.type);
afterEach(() => {
  eventListeners().delete(listener);
  heard.length = 0;
});

function setup() {
  const env = freshEngine();
  eventListeners().add(listener);
  const ev = (type: string): EventInput => ({ time: env.clock.t, type, serviceName: "svc" });
  const stored = async () => (await env.store.query<{ type: string }>("SELECT type FROM callback_events ORDER BY id")).map((r) => r.type);
  return { ...env, ev, stored };
}

describe("event listeners hear committed events only", () => {
  it("outside a transaction at once; inside one only after COMMIT", async () => {
    const { store, ev, stored } = setup();
    await store.insertEvent(ev("alone"));
    expect(heard).toEqual(["alone"]);
    await store.tx(async () => {
      await store.insertEvent(ev("in-tx"));
      expect(heard).toEqual(["alone"]); // not yet: the transaction may still roll back
    });
    expect(heard).toEqual(["alone", "in-tx"]);
    expect(await stored()).toEqual(heard);
  });

  it("nothing for a transaction that rolls back, and a rolled-back savepoint forgets only its own", async () => {
    const { store, ev, stored } = setup();
    await expect(
      store.tx(async () => {
        await store.insertEvent(ev("undone"));
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    await store.tx(async () => {
      await store.insertEvent(ev("outer"));
      await store
        .tx(async () => {
          await store.insertEvent(ev("inner"));
          throw new Error("undo inner");
        })
        .catch(() => {});
      await store.insertEvent(ev("after"));
    });
    expect(heard).toEqual(["outer", "after"]);
    expect(await stored()).toEqual(heard);
  });

  it("an attempt aborted by a serialization failure and run again is heard once (PostgreSQL retries it; SQLite does not)", async () => {
    const { store, ev, stored } = setup();
    let attempts = 0;
    const run = store.tx(async () => {
      await store.insertEvent(ev("retried"));
      if (attempts++ === 0) throw Object.assign(new Error("could not serialize access"), { code: "40001" });
    });
    if (onPostgres) await run;
    else await expect(run).rejects.toThrow("could not serialize");
    expect(heard).toEqual(onPostgres ? ["retried"] : []);
    expect(await stored()).toEqual(heard);
  });
});
