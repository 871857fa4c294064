/**
 * NEWS2 aggregate score, exactly per the RCP 2017 chart (research/anomaly-detection.md §2.1).
 * Pure. Missing parameters score nothing and are listed, so a partial score is never mistaken
 * for a complete one.
 *
 * Rounding (RCP charts integers and temperature to one decimal; the chart is silent on rounding):
 * RR, SpO2, SBP and pulse are rounded half-up to an integer; temperature half-up to 0.1 °C,
 * so 38.05 scores as 38.1 and 35.04 as 35.0.
 */

export const NEWS2_PARAMETERS = [
  "respiratory_rate",
  "spo2",
  "air_or_oxygen",
  "systolic_bp",
  "pulse",
  "consciousness",
  "temperature",
] as const;
export type News2Parameter = (typeof NEWS2_PARAMETERS)[number];

/** ACVPU; `C` is *new* confusion. */
export type Acvpu = "A" | "C" | "V" | "P" | "U";

export interface News2Input {
  readonly respiratoryRate?: number | undefined;
  readonly spo2?: number | undefined;
  /** Scale 2 only when a clinician set it for confirmed hypercapnic respiratory failure. */
  readonly spo2Scale: 1 | 2;
  readonly onOxygen?: boolean | undefined;
  readonly systolicBp?: number | undefined;
  readonly pulse?: number | undefined;
  readonly acvpu?: Acvpu | undefined;
  readonly temperatureC?: number | undefined;
}

export const NEWS2_BANDS = ["low", "low_medium", "medium", "high"] as const;
export type News2Band = (typeof NEWS2_BANDS)[number];

export interface News2Result {
  readonly total: number;
  readonly subscores: Readonly<Partial<Record<News2Parameter, number>>>;
  readonly missing: readonly News2Parameter[];
  /** A 3 in any single parameter ("red score"). */
  readonly redScore: boolean;
  readonly band: News2Band;
}

export const roundHalfUp = (x: number, decimals: number): number => {
  const f = decimals === 0 ? 1 : 10 ** decimals;
  // The 5e-7 absorbs binary drift (38.05 * 10 is 380.49999999999994) far below any sensor's
  // resolution; the same result as rounding x * f to 6 decimals first, without a string.
  return Math.floor(x * f + 0.5 + 5e-7) / f;
};

export function scoreRespiratoryRate(rr: number): number {
  const v = roundHalfUp(rr, 0);
  if (v <= 8) return 3;
  if (v <= 11) return 1;
  if (v <= 20) return 0;
  if (v <= 24) return 2;
  return 3;
}

export function scoreSpo2Scale1(spo2: number): number {
  const v = roundHalfUp(spo2, 0);
  if (v <= 91) return 3;
  if (v <= 93) return 2;
  if (v <= 95) return 1;
  return 0;
}

export function scoreSpo2Scale2(spo2: number, onOxygen: boolean): number {
  const v = roundHalfUp(spo2, 0);
  if (v <= 83) return 3;
  if (v <= 85) return 2;
  if (v <= 87) return 1;
  if (v <= 92 || !onOxygen) return 0; // 88–92, or ≥ 93 on air
  if (v <= 94) return 1; // 93–94 on oxygen
  if (v <= 96) return 2; // 95–96 on oxygen
  return 3; // ≥ 97 on oxygen
}

export function scoreSystolicBp(sbp: number): number {
  const v = roundHalfUp(sbp, 0);
  if (v <= 90) return 3;
  if (v <= 100) return 2;
  if (v <= 110) return 1;
  if (v <= 219) return 0;
  return 3;
}

export function scorePulse(hr: number): number {
  const v = roundHalfUp(hr, 0);
  if (v <= 40) return 3;
  if (v <= 50) return 1;
  if (v <= 90) return 0;
  if (v <= 110) return 1;
  if (v <= 130) return 2;
  return 3;
}

export function scoreTemperature(tempC: number): number {
  const v = roundHalfUp(tempC, 1);
  if (v <= 35.0) return 3;
  if (v <= 36.0) return 1;
  if (v <= 38.0) return 0;
  if (v <= 39.0) return 1;
  return 2;
}

export function scoreConsciousness(acvpu: Acvpu): number {
  return acvpu === "A" ? 0 : 3;
}

export function news2(input: News2Input): News2Result {
  const sub: Partial<Record<News2Parameter, number>> = {};
  const missing: News2Parameter[] = [];
  const put = <T>(p: News2Parameter, v: T | undefined, score: (v: T) => number): void => {
    if (v === undefined || (typeof v === "number" && !Number.isFinite(v))) missing.push(p);
    else sub[p] = score(v);
  };
  put("respiratory_rate", input.respiratoryRate, scoreRespiratoryRate);
  put("spo2", input.spo2, (s) =>
    input.spo2Scale === 2 ? scoreSpo2Scale2(s, input.onOxygen === true) : scoreSpo2Scale1(s),
  );
  put("air_or_oxygen", input.onOxygen, (o) => (o ? 2 : 0)); // "on oxygen adds 2 regardless of scale"
  put("systolic_bp", input.systolicBp, scoreSystolicBp);
  put("pulse", input.pulse, scorePulse);
  put("consciousness", input.acvpu, scoreConsciousness);
  put("temperature", input.temperatureC, scoreTemperature);
  const scores = Object.values(sub);
  const total = scores.reduce((a, b) => a + b, 0);
  const redScore = scores.some((s) => s === 3);
  const band: News2Band = total >= 7 ? "high" : total >= 5 ? "medium" : redScore ? "low_medium" : "low";
  return { total, subscores: sub, missing, redScore, band };
}
