/**
 * Who a token speaks for, in one place. A role decides what a console may do and whether it counts
 * as a nurse watching (the "no nurse console connected" technical alarm, DESIGN §5).
 */
export const ROLES = ["nurse", "clinician", "viewer", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/**
 * Roles that can respond to an alarm from the console (acknowledge, pause, enter ACVPU / oxygen).
 * Only these count as "a nurse console connected": a viewer's screen (a relative, a corridor
 * display) shows alarms to someone who cannot act on them, so it must not clear the alarm that
 * tells the ward nobody who can is watching. Admin is included because it has every right a
 * clinician has; the same list gates the actions, so "counts as a nurse" and "may act" never differ.
 */
export const NURSE_CAPABLE_ROLES: readonly Role[] = ["nurse", "clinician", "admin"];
export const isNurseCapable = (role: Role): boolean => NURSE_CAPABLE_ROLES.includes(role);
