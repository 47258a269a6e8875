// What every engine verb receives: the store and the clock (injected, so tests pin time), plus the actor.
import { getStore, type Store } from "../../db/store";
import { now } from "../clock";

export interface EngineCtx {
  store: Store;
  now: () => number;
  actor?: string;
}

export function defaultCtx(actor?: string): EngineCtx {
  return { store: getStore(), now, actor };
}
