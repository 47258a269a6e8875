"use client";
// The current minute for relative hints ("in 12 minutes"); null while server-rendering and hydrating, so the
// server's HTML and the first client render agree. One timer serves every hint on the page.
import { useSyncExternalStore } from "react";

const listeners = new Set<() => void>();
let timer: Awaited<ReturnType<typeof setInterval>> | undefined;

const subscribe = (onChange: () => void) => {
  listeners.add(onChange);
  timer ??= setInterval(() => listeners.forEach((l) => l()), 30_000);
  return () => {
    listeners.delete(onChange);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
};
const minute = () => Math.floor(Date.now() / 60_000) * 60_000;

export const useNow = () => useSyncExternalStore(subscribe, minute, () => null);
