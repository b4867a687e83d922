import pino, { type Logger } from "pino";
import { processSingleton } from "./global";
import { env } from "../config/env";

/**
 * Structured JSON logs on stdout, one logger per process. LOG_LEVEL picks the level
 * (default info); under the test runner (NODE_TEST_CONTEXT) the default is silent so test
 * output stays readable.
 */
export function logger(): Logger {
  return processSingleton("logger", () =>
    pino({
      level: env("LOG_LEVEL") ?? (process.env.NODE_TEST_CONTEXT ? "silent" : "info"),
      base: { service: "benchboard" },
      timestamp: pino.stdTimeFunctions.isoTime,
    }),
  );
}
