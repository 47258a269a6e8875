// Several server processes on one port (`npm start` with WORKERS > 1, scripts/start.mjs): each is a node:cluster
// worker given its slot in CALLBACK_WORKER, and the cluster primary keeps what they must share (the sign-in
// limiter's counts, the sums of /metrics). README "Several processes (WORKERS)".

/** This process's slot (1..WORKERS) when it is one of several under scripts/start.mjs; undefined otherwise. */
export function workerSlot(): string | undefined {
  const slot = process.env.CALLBACK_WORKER;
  return slot && typeof process.send === "function" ? slot : undefined;
}
