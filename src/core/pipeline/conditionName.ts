/**
 * The only way to build an external condition's name, so names the engine accepts and ids the
 * config accepts agree by construction: the engine takes `^[a-z0-9_.-]{1,64}$`, while a device id
 * may be `^[A-Za-z0-9_.:-]{1,64}$` (upper case, colons, 64 long). An id that is already a valid
 * lower-case name part is used as is (readable in the audit); any other is folded to the alphabet,
 * shortened, and suffixed with a hash of the original, so two devices never share one alarm.
 */
export const CONDITION_NAME = /^[a-z0-9_.-]{1,64}$/;

export const LINK_KINDS = ["mqtt_broker", "ble_link", "ble_unavailable", "upstream_link", "no_nurse_client", "storage_full"] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

const MAX = 64;
const HASH_LENGTH = 8;

export function conditionNameFor(kind: LinkKind, id?: string): string {
  if (id === undefined) return kind;
  const plain = `${kind}.${id}`;
  if (CONDITION_NAME.test(plain)) return plain;
  const folded = id.toLowerCase().replace(/[^a-z0-9_.-]/g, "_");
  const room = MAX - kind.length - 2 - HASH_LENGTH; // two dots
  return `${kind}.${folded.slice(0, room)}.${fnv1a(id)}`;
}

/** 32-bit FNV-1a as 8 hex digits: small, pure and stable across versions (names are persisted as causes). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(HASH_LENGTH, "0");
}
