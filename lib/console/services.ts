// Read model of the console's Configured Services list.
import { getStore } from "../../db/store";

export function configuredServices() {
  return getStore()
    .listServices()
    .map((s) => ({ name: s.name, kind: s.kind, optionCount: Object.keys(s.options).length }));
}
