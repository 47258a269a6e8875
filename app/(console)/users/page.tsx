import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/session";
import { defaultCtx } from "@/lib/runtime";
import { consoleUsers } from "@/lib/console/users";
import { UsersPanel } from "./users-panel";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

export default async function Page() {
  const user = await requirePage("admin", "/users");
  return (
    <section>
      <h1>Users</h1>
      <p className="hint">
        Console and admin API users. Roles: <strong>monitor</strong> reads, <strong>supervisor</strong> also creates and cancels callbacks
        and uses the Sample panel, <strong>admin</strong> also configures services, patterns, settings and users. A changed role or
        password, or a deletion, ends that user&apos;s sessions at once.
      </p>
      <UsersPanel initial={await consoleUsers(defaultCtx(user.username))} me={user.username} />
    </section>
  );
}
