// The console's 404: unknown console URLs and panels that are not built yet.
import Link from "next/link";

export const metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <div className="card">
        There is no console page at this address. Go to <Link href="/callbacks">Callbacks</Link>.
      </div>
    </section>
  );
}
