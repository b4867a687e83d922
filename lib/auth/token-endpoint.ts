import type { Db } from "../db/client";
import { UnauthorizedError } from "../api/errors";
import { readForm } from "../api/parse";
import { clientIp } from "../api/client-ip";
import { authenticateGuarded } from "./sign-in-guard";
import { signAccessToken } from "./tokens";

export async function issueAccessToken(db: Db, req: Request) {
  const form = await readForm(req);
  if (form.grant_type && form.grant_type !== "password")
    throw new UnauthorizedError("Only grant_type=password is supported");
  const caller =
    form.username && form.password
      ? await authenticateGuarded(db, form.username, form.password, clientIp(req.headers))
      : null;
  if (!caller) throw new UnauthorizedError("Incorrect username or password");
  const { token, expiresIn } = await signAccessToken(caller.userId);
  return { access_token: token, token_type: "bearer", expires_in: expiresIn };
}
