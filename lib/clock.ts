// The process clock. Engine verbs receive `now` through EngineCtx; the HTTP edge builds that from here, so
// tests can pin time for whole HTTP round trips with setClock().
let nowFn: () => number = Date.now;

export const now = () => nowFn();
export function setClock(fn: (() => number) | null): void {
  nowFn = fn ?? Date.now;
}
