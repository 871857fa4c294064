/**
 * Names of external technical conditions (PatientAlerting.onExternalCondition), built so that
 * every device id the config accepts gives a name the engine accepts, and two device ids never
 * share a name (one sensor coming back must not clear another sensor's alarm).
 *
 * Device ids (config schema `^[A-Za-z0-9_.:-]{1,64}$`) have upper case and `:`; condition names
 * (`CONDITION_NAME`) do not, and no reversible spelling of a 64-character id fits in 64
 * characters (66 symbols → 39). So: `<kind>.<id escaped>` when it fits (readable for the ids
 * people use: `ble_link.c0ffee001122`), else `<kind>-<128 bits of SHA-256 of the id>`.
 * The escape is prefix-free (`.` followed by one character), so escaped names are distinct by
 * construction; the two forms differ in the character after the kind.
 */
import { createHash } from "node:crypto";

/** What the alerting engine accepts as an external condition name. */
export const CONDITION_NAME = /^[a-z0-9_.-]{1,64}$/;

/** A kind names the family of condition (`ble_link`); no `.` or `-`, so the form stays visible. */
const KIND = /^[a-z][a-z0-9_]{0,15}$/;

const escapeChar = (c: string): string => {
  if (c === ".") return "..";
  if (c === ":") return "._";
  if (c >= "A" && c <= "Z") return `.${c.toLowerCase()}`;
  return c; // a-z 0-9 _ - pass unchanged
};

/** The condition name for `kind` on one device; throws only for a kind that is not a constant like `ble_link`. */
export function deviceConditionName(kind: string, deviceId: string): string {
  if (!KIND.test(kind)) throw new Error(`condition kind '${kind}' must match ${String(KIND)}`);
  const readable = `${kind}.${Array.from(deviceId, escapeChar).join("")}`;
  if (readable.length <= 64 && CONDITION_NAME.test(readable)) return readable;
  return `${kind}-${createHash("sha256").update(deviceId, "utf8").digest("hex").slice(0, 32)}`;
}
