"use client";
// What the Callbacks panel shares with controls mounted into it (the bulk action bar, the drawer's actions):
// the selected rows, the filter and its zone, and the callback open in the drawer. Read-only: the panel owns them.
import { createContext, useContext } from "react";
import type { CallbackDrawer } from "@/lib/console/callbacks";

export interface CallbacksSelection {
  /** ids of the selected callbacks (across pages of the current filter) */
  selectedIds: string[];
  clear: () => void;
  /** ids of the rows on screen (the current page) */
  pageIds: string[];
  /** the panel's data parameters (its filter, without the open drawer) */
  query: string;
  /** the display zone every time on the page is shown in */
  zone: string;
  /** the time window in words, e.g. "between Tue 2 Dec 09:00 and Wed 3 Dec 09:00 EST" */
  rangeLabel: string;
  /** after an action: says what happened (polite toast) and shows the rows as they now are */
  done: (message: string) => void;
  /** the Create callback dialog: opened from the action bar or from the empty table */
  createOpen: boolean;
  setCreateOpen: (open: boolean) => void;
}

export const SelectionContext = createContext<CallbacksSelection>({
  selectedIds: [],
  clear: () => {},
  pageIds: [],
  query: "",
  zone: "UTC",
  rangeLabel: "",
  done: () => {},
  createOpen: false,
  setCreateOpen: () => {},
});
export const useCallbacksSelection = () => useContext(SelectionContext);

export const OpenCallbackContext = createContext<CallbackDrawer | null>(null);
export const useOpenCallback = () => useContext(OpenCallbackContext);
