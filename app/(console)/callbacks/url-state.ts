"use client";
// The panel's state is its URL: reading parameters and changing them with the History API, which the Next.js
// router follows (useSearchParams updates, the back button works) without a server round trip.
import { useState } from "react";
import { usePathname, useSearchParams } from "next/navigation";

export type ParamChange = Record<string, string | null>;

/** The parameters that select data (everything but the open drawer), as the server's key for its first render. */
export function dataQuery(params: URLSearchParams): string {
  const p = new URLSearchParams(params);
  p.delete("open");
  return p.toString();
}

export function useUrlState() {
  const routerParams = useSearchParams().toString();
  const pathname = usePathname();
  // the router learns of a pushState a moment later; until then controls show the change already made
  const [local, setLocal] = useState({ seen: routerParams, params: new URLSearchParams(routerParams) });
  if (local.seen !== routerParams) setLocal({ seen: routerParams, params: new URLSearchParams(routerParams) });
  const change = (c: ParamChange, mode: "push" | "replace" = "push") => {
    const p = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(c))
      if (v === null || v === "") p.delete(k);
      else p.set(k, v);
    setLocal((l) => ({ ...l, params: p }));
    const s = p.toString();
    window.history[mode === "push" ? "pushState" : "replaceState"](null, "", s ? `${pathname}?${s}` : pathname);
  };
  return { params: local.params, change };
}
