/**
 * Domain constants of the gateway itself: the patient id its own technical conditions are filed
 * under (no nurse console, storage full, broker lost…). Who a console user can be: ./roles.ts.
 */

/** Patient id for the gateway's own conditions; `_` keeps it out of the config's patient ids. */
export const GATEWAY_ID = "_gateway";
