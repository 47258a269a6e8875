"use client";
// The left navigation: client-side links, the current page marked for assistive technology.
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { NavItem } from "./nav";

export function NavMenu({ groups }: { groups: Array<{ group: string; items: NavItem[] }> }) {
  const pathname = usePathname();
  return (
    <nav className="nav" aria-label="Main">
      {groups.map((g) => (
        <div key={g.group} className="nav-group">
          <p className="nav-group-label" id={`nav-${g.group}`}>
            {g.group}
          </p>
          <ul aria-labelledby={`nav-${g.group}`}>
            {g.items.map((n) => {
              const current = pathname === n.href || pathname.startsWith(`${n.href}/`);
              return (
                <li key={n.href}>
                  <Link href={n.href} aria-current={current ? "page" : undefined}>
                    {n.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
