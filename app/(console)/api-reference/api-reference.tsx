"use client";
// Mounts Scalar on /genesys/openapi.json. Configured to stay on our origin: no web fonts from its CDN, no hosted
// client, agent or telemetry; "try it" sends requests straight to this server (same origin, so no proxy).
import Script from "next/script";
import { useEffect, useRef } from "react";
import styles from "./api-reference.module.css";

interface ScalarApp {
  destroy?: () => void;
}
declare global {
  interface Window {
    Scalar?: { createApiReference: (el: HTMLElement, config: Record<string, unknown>) => ScalarApp };
  }
}

export function ApiReference({ scriptSrc, documentUrl }: { scriptSrc: string; documentUrl: string }) {
  const el = useRef<HTMLDivElement>(null);
  const app = useRef<ScalarApp | null>(null);
  useEffect(() => () => app.current?.destroy?.(), []);
  const mount = () => {
    if (!el.current || !window.Scalar || app.current) return;
    app.current = window.Scalar.createApiReference(el.current, {
      url: documentUrl,
      baseServerURL: window.location.origin,
      withDefaultFonts: false,
      hideClientButton: true,
      telemetry: false,
      agent: { disabled: true },
      showDeveloperTools: "never",
      showToolbar: "never",
      forceDarkModeState: "light",
      hideDarkModeToggle: true,
      documentDownloadType: "json",
    });
  };
  return (
    <>
      <div ref={el} className={styles.frame} data-testid="api-reference" />
      <Script src={scriptSrc} strategy="afterInteractive" onReady={mount} />
    </>
  );
}
