/**
 * What a nurse console shows beside a bed's vitals: the NEWS2 total with each parameter's score,
 * the parameters that could not be scored, and the entries a nurse made (ACVPU, oxygen, SpO2
 * scale) as the engine holds them. Pure; computed by the same function as the NEWS2 alarm, so the
 * tile and the alarm never disagree.
 */
import type { Acvpu, News2Band, News2Parameter } from "../rules/news2.js";
import { currentNews2, type PatientView } from "./conditions.js";
import type { AlertingConfig } from "./config.js";

export interface ClinicalState {
  readonly news2: {
    readonly total: number;
    readonly subscores: Readonly<Partial<Record<News2Parameter, number>>>;
    /** Not scored now (no fresh valid value, ACVPU not entered or too old, oxygen unknown). */
    readonly missing: readonly News2Parameter[];
    readonly band: News2Band;
    readonly redScore: boolean;
  };
  /** The last ACVPU entered, even when too old to score (then `current` is false). Wall ms. */
  readonly acvpu?: { readonly value: Acvpu; readonly setAt: number; readonly current: boolean };
  readonly onOxygen?: boolean;
  readonly scale: 1 | 2;
}

/** `acvpuSetAt`: wall ms of the ACVPU entry (the view holds monotonic time, which a console cannot show). */
export function clinicalStateOf(v: PatientView, cfg: AlertingConfig, now: number, acvpuSetAt: number | undefined): ClinicalState {
  const { r, acvpu } = currentNews2(v, cfg, now);
  return {
    news2: { total: r.total, subscores: r.subscores, missing: r.missing, band: r.band, redScore: r.redScore },
    ...(v.acvpu ? { acvpu: { value: v.acvpu.value, setAt: acvpuSetAt ?? 0, current: acvpu !== undefined } } : {}),
    ...(v.onOxygen !== undefined ? { onOxygen: v.onOxygen } : {}),
    scale: v.scale,
  };
}
