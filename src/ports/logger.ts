/**
 * Namespaced, structured logging. Callers pass ids and codes, never vital values or names:
 * logs leave the device (journald, support bundles), patient data must not.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Readonly<Record<string, string | number | boolean | undefined>>): void;
  child(namespace: string): Logger;
}
