"use client";
// True once the page is hydrated in the browser, false while rendering on the server and during hydration: times
// are formatted in the browser's zone only then, as the server's zone would not match the browser's.
import { useSyncExternalStore } from "react";

const subscribeNothing = () => () => {};

export const useHydrated = () =>
  useSyncExternalStore(
    subscribeNothing,
    () => true,
    () => false,
  );
