/**
 * Domain constants of the gateway itself: who a console user can be, and the patient id its own
 * technical conditions are filed under (no nurse console, storage full, broker lost…).
 */

/** Patient id for the gateway's own conditions; `_` keeps it out of the config's patient ids. */
export const GATEWAY_ID = "_gateway";

/** Console roles, least to most powerful in their own way: viewers only watch (README "token create"). */
export const ROLES = ["nurse", "clinician", "viewer", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);
