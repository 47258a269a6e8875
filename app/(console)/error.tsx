"use client";
// A page that failed to render: say what failed and offer Retry (which renders the page again on the server).
import { startTransition } from "react";
import { useRouter } from "next/navigation";

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  return (
    <section role="alert">
      <h1>This page could not be loaded</h1>
      <div className="card">
        <p>
          The server could not read the data of this page
          {error.digest ? (
            <>
              {" "}
              (error reference <code>{error.digest}</code>, also in the server log)
            </>
          ) : null}
          . Nothing was changed.
        </p>
        <button
          type="button"
          onClick={() =>
            startTransition(() => {
              router.refresh();
              reset();
            })
          }
        >
          Retry
        </button>
      </div>
    </section>
  );
}
