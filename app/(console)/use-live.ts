"use client";
// A console JSON endpoint, refreshed every few seconds (TanStack Query).
import { useQuery } from "@tanstack/react-query";

export function useLive<T>(url: string, everyMs = 3000) {
  return useQuery<T>({
    queryKey: [url],
    queryFn: async () => {
      const r = await fetch(url);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return r.json() as Promise<T>;
    },
    refetchInterval: everyMs,
  });
}
