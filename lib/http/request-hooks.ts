import http from "node:http";
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { processSingleton } from "../ops/global";

/**
 * What runs on each request before Next.js sees it: the peer-address stamp
 * (lib/http/peer-address.ts), then the routes served beside Next.js (lib/http/direct-routes.ts:
 * the agent listener and the read listener). Next.js
 * gives no hook below its own routing, so `emit` of Node's HTTP(S) servers is patched, once,
 * from instrumentation.ts (`register()` runs before Next.js handles its first request).
 *
 * A hook returns true when it answered the request itself; the request then never reaches
 * Next.js, nor the hooks after it. Hooks run in the order they were first added.
 */
export type RequestHook = (req: IncomingMessage, res: ServerResponse) => boolean;

const hooks = () => processSingleton("request-hooks", () => new Map<string, RequestHook>());
const PATCHED = Symbol.for("benchboard.requestHooks");

/** Adds (or, under the same name, replaces in place) a hook on every HTTP(S) server of the process. */
export function addRequestHook(name: string, hook: RequestHook): void {
  hooks().set(name, hook);
  for (const Server of [http.Server, https.Server]) {
    const proto = Server.prototype as unknown as {
      emit: (event: string, ...args: unknown[]) => boolean;
      [PATCHED]?: true;
    };
    if (proto[PATCHED]) continue;
    const emit = proto.emit;
    proto.emit = function (this: unknown, event: string, ...args: unknown[]) {
      if (event === "request") {
        for (const run of hooks().values()) {
          if (run(args[0] as IncomingMessage, args[1] as ServerResponse)) return true;
        }
      }
      return emit.call(this, event, ...args);
    };
    proto[PATCHED] = true;
  }
}
