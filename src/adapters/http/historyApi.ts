/**
 * The console's history API (issue 10), authenticated like /ws (session cookie or bearer token;
 * 401 otherwise, before anything is looked up):
 *   GET /api/patients                         ids, labels, latest values, NEWS2, open alerts
 *   GET /api/patients/:id/readings?vital=&since=&until=&limit=&cursor=   raw, paginated
 *   GET /api/patients/:id/readings?vital=&since=&until=&step=            min/avg/max per step
 *   GET /api/patients/:id/alarms?since=&limit=  alarms with acknowledgements, nurse entries, NEWS2
 * Every answer is bounded (window, page size, bucket count). A bad request gets 400 with a typed
 * error naming the parameter, and is counted; nothing here can stop the server.
 */
import type { IncomingMessage } from "node:http";
import type { ClinicalState } from "../../core/alerting/clinicalState.js";
import { isVital, type Alert, type Reading, type Vital } from "../../core/model.js";
import type { AlarmHistory, ClinicalEntry, News2Point } from "../sqlite/alarmHistory.js";
import type { Bucket, ReadingHistory } from "../sqlite/readingHistory.js";
import type { Principal } from "../sqlite/tokenStore.js";
import type { AckInfo } from "../ws/messages.js";

/** The answers, as the console (src/console/api.ts) and tests read them: one definition. */
export interface AlertWithAck {
  readonly alert: Alert;
  readonly ack?: AckInfo;
}
export interface PatientsAnswer {
  readonly patients: readonly { readonly id: string; readonly label: string; readonly latest: readonly Reading[]; readonly clinical: ClinicalState; readonly openAlerts: readonly AlertWithAck[] }[];
}
export interface RawReadingsAnswer {
  readonly patientId: string;
  readonly since: number;
  readonly until: number;
  readonly readings: readonly Reading[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly next?: string;
}
export interface BucketsAnswer {
  readonly patientId: string;
  readonly since: number;
  readonly until: number;
  readonly step: number;
  readonly buckets: readonly Bucket[];
}
export interface AlarmsAnswer {
  readonly patientId: string;
  readonly since: number;
  readonly alarms: readonly AlertWithAck[];
  readonly entries: readonly ClinicalEntry[];
  readonly news2: readonly News2Point[];
}
export interface ApiError {
  readonly error: string;
  readonly message: string;
}

export const HISTORY_LIMITS = { maxWindowMs: 7 * 86_400_000, defaultWindowMs: 86_400_000, defaultLimit: 1000, maxLimit: 5000, minStepMs: 1000, maxBuckets: 2000, maxAlarms: 500 } as const;

export interface HistoryDeps {
  patients(): readonly { readonly id: string; readonly label: string }[];
  latest(patientId: string): readonly Reading[];
  clinical(patientId: string): ClinicalState;
  openAlerts(): readonly Alert[];
  readonly readings: ReadingHistory;
  readonly alarms: AlarmHistory;
  principalOf(req: IncomingMessage): Principal | undefined;
  now(): number;
  /** Counts a refused request (code), for /metrics. */
  refused(code: string): void;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

class BadRequest extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** The answer for a /api/patients… request, or undefined when the path is not the history API's. */
export function historyAnswer(req: IncomingMessage, url: URL, deps: HistoryDeps): ApiAnswer | undefined {
  const parts = url.pathname.split("/").filter(Boolean); // ["api", "patients", id?, what?]
  if (parts[0] !== "api" || parts[1] !== "patients" || parts.length > 4) return undefined;
  if (req.method !== "GET") return { status: 405, body: { error: "method_not_allowed", message: `${req.method ?? "?"} is not allowed on ${url.pathname}; use GET` } };
  if (!deps.principalOf(req)) {
    deps.refused("unauthenticated");
    return { status: 401, body: { error: "unauthenticated", message: "sign in, or send Authorization: Bearer <token>" } };
  }
  try {
    if (parts.length === 2) return { status: 200, body: { patients: patientsOverview(deps) } };
    const id = decoded(parts[2] ?? "");
    if (!deps.patients().some((p) => p.id === id)) return { status: 404, body: { error: "unknown_patient", message: `no patient with id '${id.slice(0, 64)}'` } };
    if (parts[3] === "readings") return { status: 200, body: readings(id, url.searchParams, deps) };
    if (parts[3] === "alarms") return { status: 200, body: alarms(id, url.searchParams, deps) };
    return { status: 404, body: { error: "not_found", message: `no such resource: ${url.pathname.slice(0, 120)}` } };
  } catch (e) {
    if (!(e instanceof BadRequest)) throw e;
    deps.refused(e.code);
    return { status: 400, body: { error: e.code, message: e.message } };
  }
}

function patientsOverview(deps: HistoryDeps): PatientsAnswer["patients"] {
  const open = deps.openAlerts();
  const acks = deps.alarms.acks(open.map((a) => a.id));
  return deps.patients().map((p) => ({
    id: p.id,
    label: p.label,
    latest: deps.latest(p.id),
    clinical: deps.clinical(p.id),
    openAlerts: open.filter((a) => a.patientId === p.id).map((alert) => ({ alert, ...(acks[alert.id] ? { ack: acks[alert.id] } : {}) })),
  }));
}

function readings(patientId: string, q: URLSearchParams, deps: HistoryDeps): RawReadingsAnswer | BucketsAnswer {
  const vital = optionalVital(q);
  const { since, until } = window(q, deps.now());
  const step = q.get("step");
  if (step !== null) {
    const ms = integer(q, "step", HISTORY_LIMITS.minStepMs, HISTORY_LIMITS.maxWindowMs);
    if ((until - since) / ms > HISTORY_LIMITS.maxBuckets) throw new BadRequest("too_many_buckets", `step=${ms} gives more than ${HISTORY_LIMITS.maxBuckets} buckets for this window; use a larger step`);
    return { patientId, since, until, step: ms, buckets: deps.readings.buckets(patientId, vital, since, until, ms) };
  }
  const limit = q.has("limit") ? integer(q, "limit", 1, HISTORY_LIMITS.maxLimit) : HISTORY_LIMITS.defaultLimit;
  const after = cursor(q.get("cursor"));
  const page = deps.readings.raw({ patientId, ...(vital ? { vital } : {}), since, until, limit, ...(after ? { after } : {}) });
  return { patientId, since, until, readings: page.readings, ...(page.next ? { next: `${page.next.time}.${page.next.id}` } : {}) };
}

function alarms(patientId: string, q: URLSearchParams, deps: HistoryDeps): AlarmsAnswer {
  const { since } = window(q, deps.now());
  const limit = q.has("limit") ? integer(q, "limit", 1, HISTORY_LIMITS.maxAlarms) : 200;
  return { patientId, since, alarms: deps.alarms.alerts(patientId, since, limit), entries: deps.alarms.entries(patientId, since, limit), news2: deps.alarms.news2(patientId, since, limit) };
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest("bad_patient_id", "the patient id in the path is not valid percent-encoding");
  }
}

function optionalVital(q: URLSearchParams): Vital | undefined {
  const v = q.get("vital");
  if (v === null || v === "") return undefined;
  if (!isVital(v)) throw new BadRequest("bad_vital", `vital '${v.slice(0, 40)}' is not a known vital (e.g. heart_rate, spo2)`);
  return v;
}

/** since/until in wall ms; default: the last 24 h; never more than 7 days at once. */
function window(q: URLSearchParams, now: number): { since: number; until: number } {
  const until = q.has("until") ? integer(q, "until", 0, Number.MAX_SAFE_INTEGER) : now;
  const since = q.has("since") ? integer(q, "since", 0, Number.MAX_SAFE_INTEGER) : until - HISTORY_LIMITS.defaultWindowMs;
  if (since >= until) throw new BadRequest("bad_window", `since (${since}) must be before until (${until})`);
  if (until - since > HISTORY_LIMITS.maxWindowMs) throw new BadRequest("window_too_long", `the window from since to until is longer than ${HISTORY_LIMITS.maxWindowMs / 86_400_000} days; page through it`);
  return { since, until };
}

function integer(q: URLSearchParams, name: string, min: number, max: number): number {
  const text = q.get(name) ?? "";
  const n = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new BadRequest(`bad_${name}`, `${name} must be an integer from ${min} to ${max} (got '${text.slice(0, 40)}')`);
  return n;
}

function cursor(text: string | null): { time: number; id: number } | undefined {
  if (text === null) return undefined;
  const m = /^(\d{1,16})\.(\d{1,16})$/.exec(text);
  if (!m) throw new BadRequest("bad_cursor", "cursor must be the 'next' value of a previous page");
  return { time: Number(m[1]), id: Number(m[2]) };
}
