/**
 * The dashboard's sign-in as a browser does it (next-auth's CSRF token and cookie, then the
 * credentials callback): the session cookie (`name=value`, with the `__Secure-` prefix behind
 * TLS), or null when sign-in set none. `headers` go with both requests (e.g. a client address).
 */
export async function browserSession(
  base: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ cookie: string | null; status: number }> {
  const csrf = await fetch(`${base}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      ...headers,
      cookie: jar.join("; "),
      "content-type": "application/x-www-form-urlencoded",
      origin: base,
    },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/jobs` }),
  });
  const cookie =
    res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .find((c) => /^(__Secure-)?next-auth\.session-token=/.test(c)) ?? null;
  return { cookie, status: res.status };
}
