"use client";
// A console JSON endpoint, refreshed every few seconds (TanStack Query).
import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json";

export function useLive<T>(url: string, everyMs = 3000) {
  return useQuery<T>({ queryKey: [url], queryFn: () => fetchJson<T>(url), refetchInterval: everyMs });
}
