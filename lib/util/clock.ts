// Time and randomness behind one seam so tests can pin them.
import { randomBytes } from "node:crypto";

export const clock = {
  now: (): Date => new Date(),
};

export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString("hex");
}
