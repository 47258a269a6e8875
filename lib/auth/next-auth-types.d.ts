// What our console sessions carry (lib/auth/next-auth.ts).
import type { DefaultSession } from "next-auth";
import type { Role } from "./users";

declare module "next-auth/jwt" {
  interface JWT {
    epoch?: number;
    role?: Role;
  }
}

declare module "next-auth" {
  interface Session {
    user?: { name?: string | null; role?: Role } & DefaultSession["user"];
  }
}
