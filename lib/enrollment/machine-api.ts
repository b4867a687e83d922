import type { Machine } from "../generated/prisma/client";
import { apiRoute, type ApiContext } from "../api/with-api";
import { bearerToken } from "../auth/resolve-caller";
import { UnauthorizedError } from "../api/errors";
import { hashSecret, MACHINE_CREDENTIAL_PREFIX } from "./secrets";

/**
 * Service-agent endpoints (/agents/…): the caller is an enrolled machine, by the credential it
 * got when it enrolled. A removed machine's credential no longer opens anything. Each machine
 * is its own rate-limit client.
 */
export function withMachineApi<P = Record<string, never>>(
  handler: (ctx: ApiContext<P> & { machine: Machine }) => Promise<unknown>,
) {
  return apiRoute<P, { machine: Machine }>(async (ctx) => {
    const token = bearerToken(ctx.req);
    const machine =
      token?.startsWith(MACHINE_CREDENTIAL_PREFIX) && token.length < 200
        ? await ctx.db.machine.findUnique({ where: { credentialHash: hashSecret(token) } })
        : null;
    if (!machine || !machine.enrolledAt)
      throw new UnauthorizedError("Invalid machine credential: the machine was removed or enrolled again");
    return {
      client: { kind: "machine", id: String(machine.id), log: { machine_id: machine.id } },
      auth: { machine },
    };
  }, handler);
}
