"use client";
// What the Callbacks panel shares with controls mounted into it (the bulk action bar, the drawer's actions):
// the selected rows and the callback open in the drawer. Read-only: the panel owns both.
import { createContext, useContext } from "react";
import type { CallbackDrawer } from "@/lib/console/callbacks";

export interface CallbacksSelection {
  /** ids of the selected callbacks (across pages of the current filter) */
  selectedIds: string[];
  clear: () => void;
}

export const SelectionContext = createContext<CallbacksSelection>({ selectedIds: [], clear: () => {} });
export const useCallbacksSelection = () => useContext(SelectionContext);

export const OpenCallbackContext = createContext<CallbackDrawer | null>(null);
export const useOpenCallback = () => useContext(OpenCallbackContext);
