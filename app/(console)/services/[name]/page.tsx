import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { currentUser, requirePage } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/users";
import { getStore } from "@/db/store";
import { serviceEditor } from "@/lib/console/services";
import { ServicePanel } from "./service-panel";
import { EmbedSnippet } from "./embed-snippet";
import styles from "../services.module.css";

export const dynamic = "force-dynamic";

// Next.js hands the segment over decoded; a stray "%" left in it must not turn into a 500
const nameOf = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

type Props = { params: Promise<{ name: string }>; searchParams: Promise<{ tab?: string | string[] }> };

// a signed-out visitor gets no name back, not even the one in the URL (the page itself redirects to sign-in)
export async function generateMetadata({ params }: Props) {
  if (!(await currentUser())) return { title: "Services" };
  return { title: `${nameOf((await params).name)} · Services` };
}

/** The origin a website reaches this server at, as the browser that opened the console did. */
async function publicOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto =
    h.get("x-forwarded-proto")?.split(",")[0]?.trim() || (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto}://${host}`;
}

export default async function ServicePage({ params, searchParams }: Props) {
  const name = nameOf((await params).name);
  const { tab } = await searchParams;
  const user = await requirePage("monitor", `/services/${encodeURIComponent(name)}`);
  const editor = await serviceEditor(getStore(), name);
  if (!editor) notFound();
  const admin = hasRole(user.role, "admin");
  const embed = tab === "embed" && editor.kind === "callback";
  const base = `/services/${encodeURIComponent(name)}`;
  return (
    <section>
      <ServicePanel editor={editor} canEdit={admin} showEditor={!embed}>
        {editor.kind === "callback" && (
          <nav className={styles.tabs} aria-label="Service views">
            <Link href={base} aria-current={embed ? undefined : "page"}>
              Options
            </Link>
            <Link href={`${base}?tab=embed`} aria-current={embed ? "page" : undefined}>
              Embed
            </Link>
          </nav>
        )}
        {embed && <EmbedSnippet service={name} origin={await publicOrigin()} />}
      </ServicePanel>
    </section>
  );
}
