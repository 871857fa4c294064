/**
 * The console's whole state and the one pure function that changes it. Every input — a server
 * message, the link going up or down, a trend loaded from the history API, the clock, a click on
 * "sound on" — is an Action; the views only read State. Patients are replaced one at a time, so a
 * view can redraw exactly the tiles whose object changed (issue 10: no full rebuild per reading).
 */
import type { Alert, Reading, Vital } from "../core/model.js";
import type { AckInfo, ClinicalState, ServerMessage } from "../adapters/ws/messages.js";
import { isArtifact } from "./format.js";

export interface TrendPoint {
  readonly t: number;
  readonly v: number;
}

export interface PatientState {
  readonly id: string;
  readonly label: string;
  readonly latest: Readonly<Partial<Record<Vital, Reading>>>;
  /** Recent history per vital for the sparklines: loaded from the history API, then extended live. */
  readonly trend: Readonly<Partial<Record<Vital, readonly TrendPoint[]>>>;
  readonly clinical?: ClinicalState;
}

export type LinkStatus = "connecting" | "live" | "lost" | "signed_out";

export interface ConsoleState {
  readonly user?: { readonly name: string; readonly role: string };
  readonly link: LinkStatus;
  /** When the gateway was last heard from (any message), wall ms; the watchdog compares it to now. */
  readonly lastHeard: number;
  readonly now: number;
  readonly order: readonly string[];
  readonly patients: Readonly<Record<string, PatientState>>;
  /** Open alerts only (resolved ones are removed). */
  readonly alerts: Readonly<Record<string, Alert>>;
  readonly acks: Readonly<Record<string, AckInfo>>;
  /** Browsers allow sound only after a click: off until the nurse turns it on. */
  readonly soundOn: boolean;
  /** The last thing the gateway refused, to show (not to log away). */
  readonly lastError?: string;
}

export type Action =
  | { readonly type: "server"; readonly message: ServerMessage; readonly at: number }
  | { readonly type: "link"; readonly status: LinkStatus; readonly at: number }
  | { readonly type: "trend"; readonly patientId: string; readonly trend: Readonly<Partial<Record<Vital, readonly TrendPoint[]>>> }
  | { readonly type: "tick"; readonly now: number }
  | { readonly type: "sound"; readonly on: boolean };

/** How far back the sparklines reach, and the width of one point. */
export const TREND_WINDOW_MS = 4 * 3_600_000;
export const TREND_STEP_MS = 60_000;

export const initialState = (now: number): ConsoleState => ({ link: "connecting", lastHeard: now, now, order: [], patients: {}, alerts: {}, acks: {}, soundOn: false });

export function reduce(s: ConsoleState, a: Action): ConsoleState {
  switch (a.type) {
    case "server":
      return onMessage({ ...s, lastHeard: a.at }, a.message);
    case "link":
      return { ...s, link: a.status, ...(a.status === "live" ? { lastHeard: a.at } : {}) };
    case "trend": {
      const p = s.patients[a.patientId];
      return p ? withPatient(s, { ...p, trend: mergeTrends(a.trend, p.trend) }) : s;
    }
    case "tick":
      return { ...s, now: a.now };
    case "sound":
      return { ...s, soundOn: a.on };
    default:
      return a satisfies never;
  }
}

function onMessage(s: ConsoleState, m: ServerMessage): ConsoleState {
  switch (m.type) {
    case "hello":
      return { ...s, user: { name: m.user, role: m.role } };
    case "snapshot": {
      const patients: Record<string, PatientState> = {};
      for (const p of m.patients) {
        const old = s.patients[p.id];
        const latest: Partial<Record<Vital, Reading>> = {};
        for (const r of p.latest) latest[r.vital] = r;
        patients[p.id] = { id: p.id, label: p.label, latest, trend: old?.trend ?? {}, ...(p.clinical ? { clinical: p.clinical } : {}) };
      }
      const alerts: Record<string, Alert> = {};
      for (const alert of m.alerts) if (alert.state !== "resolved") alerts[alert.id] = alert;
      return { ...s, order: m.patients.map((p) => p.id), patients, alerts, acks: { ...m.acks } };
    }
    case "reading": {
      const p = s.patients[m.reading.patientId];
      if (!p) return s;
      const r = m.reading;
      const older = p.latest[r.vital];
      // Readings can arrive out of order (a sensor's backlog): the newest stays the one shown.
      const latest = older && older.time > r.time ? p.latest : { ...p.latest, [r.vital]: r };
      const trend = isArtifact(r) ? p.trend : { ...p.trend, [r.vital]: addPoint(p.trend[r.vital] ?? [], r.time, r.value) };
      return withPatient(s, { ...p, latest, trend });
    }
    case "alert": {
      const alerts = { ...s.alerts };
      const acks = { ...s.acks };
      if (m.alert.state === "resolved") {
        delete alerts[m.alert.id];
        delete acks[m.alert.id];
      } else alerts[m.alert.id] = m.alert;
      if (m.ack) acks[m.alert.id] = m.ack;
      // A worsened or re-announced alarm is no longer the one that was acknowledged.
      if (m.alert.state === "active") delete acks[m.alert.id];
      return { ...s, alerts, acks };
    }
    case "clinical": {
      const p = s.patients[m.patientId];
      return p ? withPatient(s, { ...p, clinical: m.clinical }) : s;
    }
    case "error":
      return { ...s, lastError: m.message };
    case "pong":
      return s;
    default:
      return m satisfies never;
  }
}

const withPatient = (s: ConsoleState, p: PatientState): ConsoleState => ({ ...s, patients: { ...s.patients, [p.id]: p } });

/** A live value blends into the current step's point (drawn, not stored), and points older than the window fall off. */
export function addPoint(points: readonly TrendPoint[], t: number, v: number): readonly TrendPoint[] {
  const bucket = t - (t % TREND_STEP_MS);
  const last = points.at(-1);
  const kept = points.filter((p) => p.t > t - TREND_WINDOW_MS);
  if (last && last.t === bucket) return [...kept.slice(0, -1), { t: bucket, v: (last.v + v) / 2 }];
  if (last && last.t > bucket) return kept; // older than what is drawn: the history API had it
  return [...kept, { t: bucket, v }];
}

function mergeTrends(loaded: Readonly<Partial<Record<Vital, readonly TrendPoint[]>>>, live: Readonly<Partial<Record<Vital, readonly TrendPoint[]>>>) {
  const out: Partial<Record<Vital, readonly TrendPoint[]>> = { ...loaded };
  for (const [vital, points] of Object.entries(live) as [Vital, readonly TrendPoint[]][]) {
    const base = out[vital] ?? [];
    const after = base.at(-1)?.t ?? -Infinity;
    out[vital] = [...base, ...points.filter((p) => p.t > after)];
  }
  return out;
}
