/** JSON-lines logger on stderr (journald keeps it). Callers pass ids and codes, never patient data. */
import type { Logger, LogLevel } from "../../ports/logger.js";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function jsonLogger(level: LogLevel, namespace = "gateway", write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  return {
    log(at, msg, fields) {
      if (ORDER[at] < ORDER[level]) return;
      write(`${JSON.stringify({ t: new Date().toISOString(), level: at, ns: namespace, msg, ...fields })}\n`);
    },
    child: (ns) => jsonLogger(level, `${namespace}.${ns}`, write),
  };
}
