/**
 * The data model of DESIGN §3: frames as they arrive, readings once decoded, alerts once raised.
 * Pure types and constants; no I/O.
 */

/** Vital names, their accepted UCUM units and LOINC codes (DESIGN §3). */
export const VITALS = {
  heart_rate: { units: ["/min"], loinc: "8867-4" },
  pulse_rate: { units: ["/min"], loinc: "8889-8" },
  respiratory_rate: { units: ["/min"], loinc: "9279-1" },
  spo2: { units: ["%"], loinc: "59408-5" },
  systolic_bp: { units: ["mm[Hg]", "kPa"], loinc: "8480-6" },
  diastolic_bp: { units: ["mm[Hg]", "kPa"], loinc: "8462-4" },
  mean_arterial_pressure: { units: ["mm[Hg]", "kPa"], loinc: "8478-0" },
  body_temperature: { units: ["Cel", "[degF]"], loinc: "8310-5" },
  body_weight: { units: ["kg", "[lb_av]"], loinc: "29463-7" },
  height: { units: ["m", "[in_i]"], loinc: "8302-2" },
  bmi: { units: ["kg/m2"], loinc: "39156-5" },
  body_fat: { units: ["%"], loinc: "41982-0" },
  impedance: { units: ["Ohm"], loinc: "" },
  glucose: { units: ["mg/dL", "mmol/L"], loinc: "2339-0" },
  rr_interval: { units: ["s"], loinc: "" },
  energy_expended: { units: ["kJ"], loinc: "" },
  perfusion_index: { units: ["%"], loinc: "" },
  battery_level: { units: ["%"], loinc: "" },
  steps: { units: ["{steps}"], loinc: "55423-8" },
} as const satisfies Record<string, { units: readonly string[]; loinc: string }>;

export type Vital = keyof typeof VITALS;
export const VITAL_NAMES = Object.keys(VITALS) as Vital[];

export function isVital(name: string): name is Vital {
  return Object.hasOwn(VITALS, name);
}

export function isUnitOf(vital: Vital, unit: string): boolean {
  return (VITALS[vital].units as readonly string[]).includes(unit);
}

/** Where a frame came from; adapters set it, drivers match on it. */
export const FRAME_SOURCES = ["ble:gatt", "ble:adv", "mqtt:gatt", "mqtt:adv", "mqtt:json", "mqtt:bridge"] as const;
export type FrameSource = (typeof FRAME_SOURCES)[number];

/**
 * What an adapter hands on: bytes and where they came from, nothing parsed.
 * `channel` is the GATT characteristic (`2a37`), an advertisement kind
 * (`service_data:181d`, `manufacturer_data`), `json`, or for `mqtt:bridge` (a Theengs /
 * OpenMQTTGateway JSON message) the bridge's topic without the device, e.g. `home/OMG/BTtoMQTT`.
 */
export interface RawFrame {
  readonly deviceId: string;
  readonly source: FrameSource;
  readonly channel: string;
  readonly bytes: Uint8Array;
  /** Wall-clock ms when the adapter received it (from the injected Clock). */
  readonly receivedAt: number;
  /** Device's own timestamp in wall-clock ms, if the frame carried one. */
  readonly deviceTime?: number;
}

/** One value as a driver decodes it, before it is attributed to a patient. */
export interface DecodedValue {
  readonly vital: Vital;
  readonly value: number;
  readonly unit: string;
  /** Decimal places the device claims (SFLOAT exponent), so 2.0 and 2 stay distinct. */
  readonly precision?: number;
  /** Device time of this value (ms), when the payload carries one. */
  readonly time?: number;
  /**
   * The device itself says this value is not a valid measurement (PLX "questionable measurement",
   * cuff "body movement"…): kept and stored, but the reading is flagged `artifact` and never scored.
   */
  readonly artifact?: string;
}

export const QUALITY_FLAGS = ["device_time", "receipt_time", "out_of_range", "artifact"] as const;
export type QualityFlag = (typeof QUALITY_FLAGS)[number];

export interface Reading {
  readonly patientId: string;
  readonly deviceId: string;
  readonly vital: Vital;
  readonly value: number;
  readonly unit: string;
  readonly precision?: number;
  /** Device time if it had one, else receipt (ms since epoch). */
  readonly time: number;
  readonly receivedAt: number;
  readonly quality: readonly QualityFlag[];
}

export const ALERT_KINDS = ["physiological", "technical", "advisory"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_PRIORITIES = ["high", "medium", "low"] as const;
export type AlertPriority = (typeof ALERT_PRIORITIES)[number];

/** DESIGN §5 states (IEC 60601-1-8 vocabulary). */
export const ALERT_STATES = ["active", "acknowledged", "audio_paused", "alarm_paused", "resolved"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface InputReading {
  readonly vital: Vital;
  readonly value: number;
  readonly unit: string;
  readonly time: number;
  readonly deviceId: string;
}

export interface Alert {
  /** UUIDv7, stable across retries. */
  readonly id: string;
  readonly patientId: string;
  readonly kind: AlertKind;
  readonly priority: AlertPriority;
  /** Stable cause key, e.g. `threshold:heart_rate:high`; one open alert per cause and patient. */
  readonly cause: string;
  readonly message: string;
  readonly state: AlertState;
  readonly news2?: {
    readonly total: number;
    readonly subscores: Readonly<Record<string, number>>;
    /** Parameters not scored (no fresh valid value; ACVPU not observed): shown as unknown. */
    readonly missing?: readonly string[];
    readonly scale?: 1 | 2;
  };
  /** Limits and timings in force when the alert was computed (accountability). */
  readonly limits?: Readonly<Record<string, number | string | boolean>>;
  /** false once the condition ended while a latched alarm still waits for acknowledgement. */
  readonly conditionActive?: boolean;
  /** Monotonic ms at which an audio/alarm pause ends. */
  readonly until?: number;
  /** 0 none, 1 after T1, 2 after T2 without acknowledgement. */
  readonly escalation?: 0 | 1 | 2;
  /** Wall-clock ms of the last change. */
  readonly updatedAt?: number;
  readonly modelScore?: number;
  readonly modelVersion?: string;
  /** Set when the model could not score: alerts still fire and say so. */
  readonly modelStatus?: "ok" | "unavailable";
  readonly ruleSetVersion: string;
  readonly inputs: readonly InputReading[];
  /** Wall-clock ms. */
  readonly raisedAt: number;
  /** Monotonic ms (scheduler time) for timers. */
  readonly raisedAtMonotonic: number;
}
