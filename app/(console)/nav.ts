// The console navigation (SPEC §7). `role` is the least role that sees the entry.
import type { Role } from "@/lib/auth/users";

export const NAV: Array<{ href: string; label: string; role: Role }> = [
  { href: "/callbacks", label: "Callbacks", role: "monitor" },
  { href: "/services", label: "Configured Services", role: "monitor" },
  { href: "/office-hours", label: "Office Hours", role: "monitor" },
  { href: "/capacity", label: "Capacity", role: "monitor" },
  { href: "/availability", label: "Availability", role: "monitor" },
  { href: "/patterns", label: "Patterns", role: "monitor" },
  { href: "/sample", label: "Sample", role: "supervisor" },
  { href: "/monitor", label: "Monitor", role: "monitor" },
  { href: "/users", label: "Users", role: "admin" },
];
