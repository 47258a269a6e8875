// The console navigation, grouped as supervisors work. `role` is the least role that sees the entry; panels that
// are not built yet are left out rather than shown as placeholders.
import type { Role } from "@/lib/auth/users";

export interface NavItem {
  href: string;
  label: string;
  role: Role;
}

export const NAV: Array<{ group: string; items: NavItem[] }> = [
  {
    group: "Work",
    items: [
      { href: "/callbacks", label: "Callbacks", role: "monitor" },
      { href: "/monitor", label: "Monitor", role: "monitor" },
    ],
  },
  {
    group: "Configure",
    items: [
      { href: "/services", label: "Configured Services", role: "monitor" },
      { href: "/office-hours", label: "Office Hours", role: "monitor" },
      { href: "/capacity", label: "Capacity", role: "monitor" },
      { href: "/availability", label: "Availability", role: "monitor" },
      { href: "/patterns", label: "Patterns", role: "monitor" },
    ],
  },
  { group: "Try", items: [{ href: "/sample", label: "Sample", role: "supervisor" }] },
  {
    group: "Admin",
    items: [
      { href: "/users", label: "Users", role: "admin" },
      { href: "/settings", label: "Settings", role: "admin" },
      { href: "/api-reference", label: "API reference", role: "monitor" },
    ],
  },
];
