/**
 * Code systems and codes of the export (HL7 FHIR Personal Health Device IG STU2, FHIR R4 vital
 * signs). Each vital gets its LOINC code (from src/core/model.ts, the one table of vitals) and,
 * where the IEEE 11073-10101 nomenclature has a well-known term, its MDC code, which the PHD IG
 * puts first. UCUM units are the ones the readings already carry (DESIGN §3).
 */
import { VITALS, type Vital } from "../../core/model.js";

export const LOINC = "http://loinc.org";
export const MDC = "urn:iso:std:iso:11073:10101";
export const UCUM = "http://unitsofmeasure.org";
export const OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
export const VITAL_SIGNS_PROFILE = "http://hl7.org/fhir/StructureDefinition/vitalsigns";
export const BP_PROFILE = "http://hl7.org/fhir/StructureDefinition/bp";
export const PHD_NUMERIC = "http://hl7.org/fhir/uv/phd/StructureDefinition/PhdNumericObservation";
export const PHD_COMPOUND = "http://hl7.org/fhir/uv/phd/StructureDefinition/PhdCompoundNumericObservation";
export const PHD_DEVICE = "http://hl7.org/fhir/uv/phd/StructureDefinition/PhdDevice";
export const PHG_DEVICE = "http://hl7.org/fhir/uv/phd/StructureDefinition/PhgDevice";
export const GATEWAY_EXTENSION = "http://hl7.org/fhir/uv/phd/StructureDefinition/GatewayDeviceExt";
export const CONTINUA_IDENTIFIERS = "http://hl7.org/fhir/uv/phd/CodeSystem/ContinuaDeviceIdentifiers";
export const BLUETOOTH_ADDRESS = "http://hl7.org/fhir/sid/eui-48/bluetooth";
export const FLAG_PRIORITY = "http://hl7.org/fhir/StructureDefinition/flag-priority";
export const FLAG_PRIORITY_CODES = "http://terminology.hl7.org/CodeSystem/flag-priority-code";
export const FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category";
/** Local identifier and code systems of this gateway (opaque ids, alert causes). */
export const LOCAL = "urn:vitals-gateway";

/** MDC terms (IEEE 11073-10101) for the vitals that have a well-established one. */
const MDC_CODES: Partial<Record<Vital, { code: string; display: string }>> = {
  heart_rate: { code: "147842", display: "MDC_ECG_HEART_RATE" },
  pulse_rate: { code: "149530", display: "MDC_PULS_OXIM_PULS_RATE" },
  spo2: { code: "150456", display: "MDC_PULS_OXIM_SAT_O2" },
  respiratory_rate: { code: "151562", display: "MDC_RESP_RATE" },
  body_temperature: { code: "150364", display: "MDC_TEMP_BODY" },
  systolic_bp: { code: "150021", display: "MDC_PRESS_BLD_NONINV_SYS" },
  diastolic_bp: { code: "150022", display: "MDC_PRESS_BLD_NONINV_DIA" },
  mean_arterial_pressure: { code: "150023", display: "MDC_PRESS_BLD_NONINV_MEAN" },
  body_weight: { code: "188736", display: "MDC_MASS_BODY_ACTUAL" },
  height: { code: "188740", display: "MDC_LEN_BODY_ACTUAL" },
  bmi: { code: "188752", display: "MDC_RATIO_MASS_BODY_LEN_SQ" },
  body_fat: { code: "188748", display: "MDC_BODY_FAT" },
};

export const BP_PANEL = { loinc: "85354-9", display: "Blood pressure panel with all children optional", mdc: "150020", mdcDisplay: "MDC_PRESS_BLD_NONINV" };
export const BP_PARTS: readonly Vital[] = ["systolic_bp", "diastolic_bp", "mean_arterial_pressure"];

/** Vitals in the FHIR R4 vital-signs value set: these also claim the vitalsigns profile. */
const VITAL_SIGNS: ReadonlySet<Vital> = new Set(["heart_rate", "pulse_rate", "respiratory_rate", "spo2", "systolic_bp", "diastolic_bp", "mean_arterial_pressure", "body_temperature", "body_weight", "height", "bmi"]);

export interface Coding {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

/** LOINC first (vital-signs profile), then the SpO2 code that profile requires, then MDC; none: not exportable. */
export function codingsOf(vital: Vital): Coding[] {
  const loinc = VITALS[vital].loinc as string;
  if (loinc === "") return [];
  const out: Coding[] = [{ system: LOINC, code: loinc }];
  // The R4 vital-signs profile pins SpO2 to 2708-6; 59408-5 says "by pulse oximetry".
  if (vital === "spo2") out.unshift({ system: LOINC, code: "2708-6" });
  const mdc = MDC_CODES[vital];
  if (mdc) out.push({ system: MDC, code: mdc.code, display: mdc.display });
  return out;
}

export const isVitalSign = (vital: Vital): boolean => VITAL_SIGNS.has(vital);
