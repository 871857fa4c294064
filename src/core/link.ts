/**
 * The state of any link the gateway depends on (the sensor broker, a BLE sensor, BlueZ, the
 * upstream broker, the nurse consoles), as every adapter reports it. One operator
 * (pipeline/linkCondition.ts) turns it into a technical condition.
 */
export interface LinkState {
  readonly up: boolean;
  /** Why it is down, for the alarm text: an error code or adapter message, never patient data. */
  readonly why?: string;
}
