import { describe, it, expect } from "vitest";
import { freshEngine, walCommits } from "./helpers";

describe("store group commit", () => {
  it("commits calls queued in the same event-loop turn once (one WAL commit for three calls)", async () => {
    const store = freshEngine().lite;
    store.sqlite.pragma("wal_autocheckpoint = 0");
    await store.putSettings("warm", {}, 1);
    const before = walCommits(store);
    await Promise.all(["a", "b", "c"].map(async (k) => await store.tx(async () => await store.putSettings(k, { k }, 1))));
    expect(walCommits(store) - before).toBe(1);
    // the same three writes, each in its own transaction, are three commits (the count is real)
    for (const k of ["d", "e", "f"]) await store.tx(async () => await store.putSettings(k, { k }, 1));
    expect(walCommits(store) - before).toBe(4);
  });

  it("gives each call of a batch its own savepoint: a failing call undoes only its own writes", async () => {
    const store = freshEngine().lite;
    const put = (k: string) => async () => await store.putSettings(k, { k }, 1);
    const results = await Promise.allSettled([
      store.tx(put("a")),
      store.tx(async () => {
        await put("b")();
        throw new Error("boom");
      }),
      store.tx(put("c")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await store.getSettings("a")).toEqual({ k: "a" });
    expect(await store.getSettings("b")).toBeUndefined();
    expect(await store.getSettings("c")).toEqual({ k: "c" });
  });

  it("lets each call see the writes of the calls before it in the same batch (checks stay serial)", async () => {
    const store = freshEngine().lite;
    const counter = async () => ((await store.getSettings("n"))?.n as number | undefined) ?? 0;
    const inc = async () =>
      await store.tx(async () => {
        const n = await counter();
        if (n >= 3) throw new Error("full");
        await store.putSettings("n", { n: n + 1 }, 1);
        return n + 1;
      });
    const r = await Promise.allSettled(Array.from({ length: 6 }, inc));
    expect(r.filter((x) => x.status === "fulfilled")).toHaveLength(3);
    expect(await counter()).toBe(3);
  });
});
