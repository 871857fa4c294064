/**
 * The only way to build an external condition's name, so names the engine accepts and ids the
 * config accepts agree by construction (issue 9 item 1), and two device ids never share a name
 * (one sensor coming back must not clear another sensor's alarm).
 *
 * Device ids (config schema `^[A-Za-z0-9_.:-]{1,64}$`) have upper case and `:`; condition names
 * (`CONDITION_NAME`) do not, and no reversible spelling of a 64-character id fits in 64
 * characters (66 symbols → 39). So: `<kind>.<id escaped>` when it fits (readable for the ids
 * people use: `ble_link.c0ffee001122`), else `<kind>-<128 bits of SHA-256 of the id>`.
 * The escape is prefix-free (`.` followed by one character), so escaped names are distinct by
 * construction; the two forms differ in the character after the kind. Names are persisted as
 * alert causes, so this spelling must not change between versions.
 */
import { createHash } from "node:crypto";

/** What the alerting engine accepts as an external condition name. */
export const CONDITION_NAME = /^[a-z0-9_.-]{1,64}$/;

/** Every family of link condition; none has `.` or `-`, so the two forms stay distinguishable. */
export const LINK_KINDS = ["mqtt_broker", "ble_link", "ble_unavailable", "upstream_link", "no_nurse_client", "storage_full"] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

const escapeChar = (c: string): string => {
  if (c === ".") return "..";
  if (c === ":") return "._";
  if (c >= "A" && c <= "Z") return `.${c.toLowerCase()}`;
  return c; // a-z 0-9 _ - pass unchanged
};

export function conditionNameFor(kind: LinkKind, id?: string): string {
  if (id === undefined) return kind;
  const readable = `${kind}.${Array.from(id, escapeChar).join("")}`;
  if (readable.length <= 64 && CONDITION_NAME.test(readable)) return readable;
  return `${kind}-${createHash("sha256").update(id, "utf8").digest("hex").slice(0, 32)}`;
}
