// Puts the bus and CallbackService on the page once, whichever of our scripts loads first: the bus at
// `window._genesys.widgets.bus` (and `window.CXBus`, the global Genesys sites call), the configuration read from
// `window._genesys.widgets.callback` at each command.
import { createBus, type Bus, type Options } from "./bus";
import { installCallbackService, type CallbackConfig } from "./callback-service";

export interface Widgets {
  bus?: Bus;
  callback?: CallbackConfig & Options;
  calendar?: Options;
}
interface GenesysWindow {
  _genesys?: { widgets?: Widgets };
  CXBus?: Bus;
}

export function install(): Widgets & { bus: Bus } {
  const w = window as unknown as GenesysWindow;
  const g = (w._genesys ??= {});
  const widgets = (g.widgets ??= {});
  const bus = (widgets.bus ??= createBus());
  w.CXBus ??= bus;
  if (!bus.has("CallbackService.schedule")) installCallbackService(bus, () => widgets.callback ?? {});
  return widgets as Widgets & { bus: Bus };
}
