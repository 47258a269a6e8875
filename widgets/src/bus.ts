// A small command/event bus in the spirit of Genesys Widgets' CXBus (`window._genesys.widgets.bus`): plugins
// register commands (`<Plugin>.<command>`), anyone calls them and gets a promise, events are published to
// subscribers. `<Plugin>.ready` events are replayed to late subscribers, since scripts load in any order.

export type Options = Record<string, unknown>;
export interface BusEvent {
  event: string;
  data: unknown;
}
export type Listener = (e: BusEvent) => void;
export type CommandFn = (options: Options | undefined) => unknown;

/** A promise with the jQuery-style `.done` / `.fail` aliases of Genesys Widgets commands; both chain. */
export interface Deferred<T = unknown> extends Promise<T> {
  done(fn: (value: T) => void): Deferred<T>;
  fail(fn: (reason: unknown) => void): Deferred<T>;
}

export interface Plugin {
  command(name: string, options?: Options): Deferred;
  subscribe(event: string, fn: Listener): void;
  unsubscribe(event: string, fn: Listener): void;
  /** Publishes `<plugin>.<event>`. */
  publish(event: string, data?: unknown): void;
  /** Registers `<plugin>.<name>`; the first registration of a name wins. */
  registerCommand(name: string, fn: CommandFn): void;
}

export interface Bus extends Plugin {
  registerPlugin(name: string): Plugin;
  /** Whether a command is registered (scripts sharing one bus install each plugin once). */
  has(command: string): boolean;
}

const noop = () => {};

export function deferred<T>(p: Promise<T>): Deferred<T> {
  const d = p as Deferred<T>;
  p.catch(noop); // a fire-and-forget command must not log an unhandled rejection
  d.done = (fn) => (p.then(fn, noop), d);
  d.fail = (fn) => (p.then(undefined, fn), d);
  return d;
}

export function createBus(): Bus {
  const commands = new Map<string, CommandFn>();
  const listeners = new Map<string, Listener[]>();
  const replay = new Map<string, unknown>();

  const command = (name: string, options?: Options): Deferred =>
    deferred(
      new Promise((resolve, reject) => {
        const fn = commands.get(name);
        if (fn) resolve(fn(options));
        else reject(`Command ${name} is not registered`);
      }),
    );
  const subscribe = (event: string, fn: Listener) => {
    listeners.set(event, [...(listeners.get(event) ?? []), fn]);
    if (replay.has(event)) fn({ event, data: replay.get(event) });
  };
  const unsubscribe = (event: string, fn: Listener) =>
    listeners.set(
      event,
      (listeners.get(event) ?? []).filter((l) => l !== fn),
    );
  const emit = (event: string, data: unknown) => {
    if (/\.ready$/.test(event)) replay.set(event, data);
    for (const fn of listeners.get(event) ?? []) {
      try {
        fn({ event, data });
      } catch (e) {
        console.error(`[bus] a subscriber of ${event} failed`, e); // one broken subscriber must not starve the others
      }
    }
  };

  const plugin = (prefix: string): Plugin => ({
    command,
    subscribe,
    unsubscribe,
    publish: (event, data) => emit(prefix ? `${prefix}.${event}` : event, data),
    registerCommand: (name, fn) => {
      const full = `${prefix}.${name}`;
      if (!commands.has(full)) commands.set(full, fn);
    },
  });
  return { ...plugin(""), registerPlugin: plugin, has: (name) => commands.has(name) };
}
