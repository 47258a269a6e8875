// next-auth (v4) options for the console: credentials against our users table, JWT sessions carrying the user's
// session epoch; every use of a session re-checks it against the database (lib/auth/sessions.ts).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getStore } from "../../db/store";
import { clientAddress } from "./client-address";
import { loadAuthSecret } from "./secret";
import { endSessions, liveSession, sessionEpochOf } from "./sessions";
import { signInThrottle } from "./throttle";
import { verifyCredentials } from "./users";

const SESSION_MAX_AGE_S = 12 * 3600;

/** Thrown from the jwt callback for an ended session: next-auth then answers "signed out" and clears the cookie. */
class SessionEnded extends Error {}

let cached: NextAuthOptions | undefined;
export async function authOptions(): Promise<NextAuthOptions> {
  return (cached ??= {
    secret: await loadAuthSecret(getStore()),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Credentials",
        credentials: { username: { label: "User", type: "text" }, password: { label: "Password", type: "password" } },
        // The sign-in route counted this attempt against the throttle before next-auth saw it (app/api/auth).
        authorize: async (c, req) => {
          if (!c?.username || !c.password) return null;
          const u = await verifyCredentials(getStore(), c.username, c.password);
          if (!u) return null;
          const forwarded = req.headers?.["x-forwarded-for"];
          await signInThrottle().succeeded(u.username, clientAddress(typeof forwarded === "string" ? forwarded : null));
          return { id: u.username, name: u.username };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        const store = getStore();
        if (user) {
          token.epoch = (await sessionEpochOf(store, token.name ?? "")) ?? undefined;
          return token;
        }
        const live = await liveSession(store, token);
        if (!live) throw new SessionEnded("session ended");
        token.role = live.role;
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { name: token.name, role: token.role } };
      },
    },
    events: {
      async signOut({ token }) {
        await endSessions(getStore(), token ?? {}, Date.now());
      },
    },
    logger: {
      // an ended session is an expected outcome, not an error worth a stack trace in the log
      error(code, metadata) {
        if (!(metadata instanceof SessionEnded)) console.error(`[next-auth][error][${code}]`, metadata);
      },
    },
  });
}
