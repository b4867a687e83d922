import type { Role } from "@/lib/auth/roles";

export const ROLE_LABEL: Record<Role, string> = {
  user: "Engineer",
  customer_admin: "Customer admin",
  staff: "Staff",
  root_admin: "Root admin",
};
