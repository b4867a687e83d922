"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import type { Role } from "@/lib/auth/roles";
import { scopeOf } from "@/lib/auth/permissions";
import { NAV_ICONS } from "./nav-icons";
import { PerformanceNavBadge } from "./performance-nav-badge";
import { ThemeToggle } from "./theme-toggle";

export interface ShellUser {
  email: string;
  role: Role;
}

const ROLE_LABEL: Record<Role, string> = {
  user: "Engineer",
  customer_admin: "Customer admin",
  staff: "Staff",
  root_admin: "Root admin",
};

/** Staff may look at every customer but administers nothing (see lib/auth/roles.ts). */
export const canAdminister = (role: Role) => scopeOf(role, "manage_users") !== "none";

interface NavItem {
  href: string;
  label: string;
  icon: React.ReactNode;
  badge?: React.ReactNode;
}

function navItems(role: Role): NavItem[] {
  return [
    { href: "/jobs", label: "Jobs", icon: NAV_ICONS.jobs },
    { href: "/jobs/new", label: "New job", icon: NAV_ICONS.newJob },
    { href: "/performance", label: "Performance", icon: NAV_ICONS.performance, badge: <PerformanceNavBadge /> },
    { href: "/fleet", label: "Fleet", icon: NAV_ICONS.fleet },
    ...(scopeOf(role, "manage_fleet") !== "none"
      ? [{ href: "/schedules", label: "Schedules", icon: NAV_ICONS.schedules }]
      : []),
    ...(canAdminister(role) ? [{ href: "/admin", label: "Admin", icon: NAV_ICONS.admin }] : []),
    ...(scopeOf(role, "manage_webhooks") !== "none"
      ? [{ href: "/webhooks", label: "Webhooks", icon: NAV_ICONS.webhooks }]
      : []),
    { href: "/api-docs", label: "API", icon: NAV_ICONS.api },
  ];
}

/** The most specific nav entry that contains the path is the current one (/jobs/new ≠ /jobs). */
function currentHref(items: NavItem[], path: string): string | null {
  const matches = items.filter((i) => path === i.href || path.startsWith(i.href + "/"));
  return matches.sort((a, b) => b.href.length - a.href.length)[0]?.href ?? null;
}

export function AppShell({ user, children }: { user: ShellUser; children: React.ReactNode }) {
  const pathname = usePathname() ?? "/";
  // The phone menu is open for the page it was opened on: navigating closes it.
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === pathname;
  const items = navItems(user.role);
  const current = currentHref(items, pathname);
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/jobs" className="brand" style={{ padding: 0 }}>
          <span className="brand-mark" aria-hidden="true" /> Benchboard
        </Link>
        <button
          type="button"
          className="btn btn-ghost btn-icon"
          aria-label={menuOpen ? "Close menu" : "Open menu"}
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpenOn(menuOpen ? null : pathname)}
        >
          {menuOpen ? NAV_ICONS.close : NAV_ICONS.menu}
        </button>
      </header>
      <aside id="sidebar" className={`sidebar${menuOpen ? " open" : ""}`}>
        <Link href="/jobs" className="brand">
          <span className="brand-mark" aria-hidden="true" /> Benchboard
        </Link>
        <nav className="nav" aria-label="Main">
          {items.map((i) => (
            <Link key={i.href} href={i.href} aria-current={current === i.href ? "page" : undefined}>
              {i.icon}
              <span>{i.label}</span>
              {i.badge}
            </Link>
          ))}
        </nav>
        <div className="sidebar-footer">
          <div className="user-card" data-testid="current-user">
            <span className="avatar" aria-hidden="true">
              {user.email.slice(0, 1).toUpperCase()}
            </span>
            <div className="who">
              <div className="email" title={user.email}>
                {user.email}
              </div>
              <div className="role" data-role={user.role}>
                {ROLE_LABEL[user.role]}
              </div>
            </div>
          </div>
          <div className="sidebar-actions">
            <ThemeToggle />
            <button
              type="button"
              className="btn btn-ghost"
              style={{ flex: 1, justifyContent: "flex-start" }}
              // next-auth's client loads on the click: every dashboard page's first load skips it.
              onClick={async () => (await import("next-auth/react")).signOut({ callbackUrl: "/signin" })}
            >
              {NAV_ICONS.signOut} Sign out
            </button>
          </div>
        </div>
      </aside>
      <main className="main" id="main">
        {children}
      </main>
    </div>
  );
}
