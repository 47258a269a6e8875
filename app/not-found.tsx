// Unknown URLs outside the console's pages.
import Link from "next/link";

export const metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className="signin card">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. Go to the <Link href="/callbacks">console</Link>.
      </p>
    </main>
  );
}
