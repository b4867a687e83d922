import { z } from "zod";

/**
 * zod as this codebase uses it: every schema module imports `z` from here, so the setting
 * below is in place before any schema is built, on the server and in the browser alike.
 *
 * An object schema decides when it is built whether to compile its parser, probing
 * `new Function` once. The dashboard's CSP forbids eval, and the browser reports even that
 * caught probe as a violation. In the browser, schemas therefore parse without compiling
 * (the forms' payloads are small); the server keeps the compiled parsers.
 */
if (typeof window !== "undefined") z.config({ jitless: true });

export { z };
