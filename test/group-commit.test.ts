import { describe, it, expect } from "vitest";
import { freshEngine, walCommits } from "./helpers";

describe("store group commit", () => {
  it("commits calls queued in the same event-loop turn once (one WAL commit for three calls)", async () => {
    const { store } = freshEngine();
    store.sqlite.pragma("wal_autocheckpoint = 0");
    store.putSettings("warm", {}, 1);
    const before = walCommits(store);
    await Promise.all(["a", "b", "c"].map((k) => store.txGroup(() => store.putSettings(k, { k }, 1))));
    expect(walCommits(store) - before).toBe(1);
    // the same three writes, each in its own transaction, are three commits (the count is real)
    for (const k of ["d", "e", "f"]) store.tx(() => store.putSettings(k, { k }, 1));
    expect(walCommits(store) - before).toBe(4);
  });

  it("gives each call of a batch its own savepoint: a failing call undoes only its own writes", async () => {
    const { store } = freshEngine();
    const put = (k: string) => () => store.putSettings(k, { k }, 1);
    const results = await Promise.allSettled([
      store.txGroup(put("a")),
      store.txGroup(() => {
        put("b")();
        throw new Error("boom");
      }),
      store.txGroup(put("c")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(store.getSettings("a")).toEqual({ k: "a" });
    expect(store.getSettings("b")).toBeUndefined();
    expect(store.getSettings("c")).toEqual({ k: "c" });
  });

  it("lets each call see the writes of the calls before it in the same batch (checks stay serial)", async () => {
    const { store } = freshEngine();
    const counter = () => (store.getSettings("n")?.n as number | undefined) ?? 0;
    const inc = () =>
      store.txGroup(() => {
        const n = counter();
        if (n >= 3) throw new Error("full");
        store.putSettings("n", { n: n + 1 }, 1);
        return n + 1;
      });
    const r = await Promise.allSettled(Array.from({ length: 6 }, inc));
    expect(r.filter((x) => x.status === "fulfilled")).toHaveLength(3);
    expect(counter()).toBe(3);
  });
});
