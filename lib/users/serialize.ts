const iso = (d: Date) => d.toISOString();

/** Wire shape of an account for the admin API; never the password hash. */
export function serializeUser(u: {
  id: number;
  email: string;
  name: string | null;
  role: string;
  active: boolean;
  customerId: number;
  createdAt: Date;
  customer: { name: string };
}) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.active,
    customer_id: u.customerId,
    customer: u.customer.name,
    created_at: iso(u.createdAt),
  };
}

export function serializeCustomer(c: {
  id: number;
  name: string;
  createdAt: Date;
  _count?: { users: number; jobs: number };
}) {
  return {
    id: c.id,
    name: c.name,
    created_at: iso(c.createdAt),
    ...(c._count ? { user_count: c._count.users, job_count: c._count.jobs } : {}),
  };
}
