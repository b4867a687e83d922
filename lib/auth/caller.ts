import type { Role } from "./roles";

/** Who is making a request, resolved from a bearer token or a browser session. */
export interface Caller {
  userId: number;
  customerId: number;
  role: Role;
  email: string;
}
