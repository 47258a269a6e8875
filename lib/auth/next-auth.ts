// next-auth (v4) options for the console: credentials against our users table, JWT sessions carrying the role.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { randomBytes } from "node:crypto";
import { getStore } from "../../db/store";
import { verifyCredentials, type Role } from "./users";

/** NEXTAUTH_SECRET, or a random secret generated once and kept in the database (never a fixed default). */
export function authSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const store = getStore();
  const internal = store.getSettings("internal") ?? {};
  if (typeof internal.authSecret === "string") return internal.authSecret;
  const secret = randomBytes(32).toString("base64url");
  store.putSettings("internal", { ...internal, authSecret: secret }, Date.now());
  return secret;
}

let cached: NextAuthOptions | undefined;
export function authOptions(): NextAuthOptions {
  return (cached ??= {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: 12 * 3600 },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Credentials",
        credentials: { username: { label: "User", type: "text" }, password: { label: "Password", type: "password" } },
        authorize: async (c) => {
          if (!c?.username || !c.password) return null;
          const u = verifyCredentials(getStore(), c.username, c.password);
          return u ? { id: u.username, name: u.username, role: u.role } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.role = (user as { role?: Role }).role;
        return token;
      },
      session({ session, token }) {
        if (session.user) (session.user as { role?: unknown }).role = token.role;
        return session;
      },
    },
  });
}
