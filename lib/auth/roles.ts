export const ROLES = ["user", "customer_admin", "staff", "root_admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Staff and root admins see every customer; others are confined to their own. */
export function seesAllCustomers(role: Role): boolean {
  return role === "staff" || role === "root_admin";
}
