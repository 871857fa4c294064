/**
 * Canonical JSON for hashing: object keys sorted (by UTF-16 code units), no whitespace, undefined
 * members left out, non-finite numbers as the strings "NaN" / "Infinity" / "-Infinity" (JSON has
 * none), -0 as 0. The same value always gives the same text, whatever order it was built in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && typeof v !== "function")
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    case "bigint":
      return JSON.stringify(value.toString());
    default:
      return "null"; // undefined, function, symbol at the top level
  }
}
