"use client";
// The Embed view of a callback service: the script a website pastes to show the callback form for this service, and
// a Copy button. The site's origin must be allowed by the server (CORS_ORIGINS).
import { useState } from "react";
import styles from "../services.module.css";

function embedSnippet(service: string, origin: string): string {
  return `<script>
  window._genesys = { widgets: {
    callback: {
      dataURL: "${origin}/genesys/1/service/callback/${service}",
      userData: { source: "web" },
      countryCodes: true,
      immediateCallback: true,
      scheduledCallback: true
    },
    calendar: { showAvailability: true, numberOfDays: 5 }
  } };
</script>
<script src="${origin}/widgets/callback-form.js" defer></script>`;
}

export function EmbedSnippet({ service, origin }: { service: string; origin: string }) {
  const [copied, setCopied] = useState<"" | "ok" | "failed">("");
  const code = embedSnippet(service, origin);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied("ok");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div>
      <h2>Put the callback form on a website</h2>
      <p>
        Paste this before <code>&lt;/head&gt;</code> of the page. A <strong>Call me back</strong> button opens the form, which books
        callbacks with <code>{service}</code>.
      </p>
      <pre className={styles.snippet} aria-label="Embed code" tabIndex={0}>
        <code>{code}</code>
      </pre>
      <p className={styles.header}>
        <button type="button" onClick={copy}>
          Copy the code
        </button>
        <span role="status" aria-live="polite" className={copied === "failed" ? "error" : styles.saved}>
          {copied === "ok"
            ? "Copied to the clipboard."
            : copied === "failed"
              ? "The browser refused the clipboard: select the code and copy it."
              : ""}
        </span>
      </p>
      <p>
        The server answers the form only from origins it lists in <code>CORS_ORIGINS</code> (comma-separated, e.g.{" "}
        <code>https://www.example.com</code>): add the website&apos;s origin there and restart the server. Try it on this server&apos;s own{" "}
        <a href="/widgets/demo.html">widget demo page</a>.
      </p>
    </div>
  );
}
