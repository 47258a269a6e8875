// The callback states, in lifecycle order: a module of its own so that browser code can use it without the engine.
export const STATES = ["SCHEDULED", "QUEUED", "ROUTING", "PROCESSING", "PAUSED", "COMPLETED"] as const;
export type State = (typeof STATES)[number];

/** States in which execution holds the callback (a cancel must be forwarded to it). */
export const IN_EXECUTION: ReadonlySet<string> = new Set<State>(["QUEUED", "ROUTING", "PROCESSING", "PAUSED"]);
