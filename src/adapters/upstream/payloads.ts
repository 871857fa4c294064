/**
 * Topics and payloads of the upstream link (README.md beside this file). Pure. What leaves the
 * gateway is what the central side needs: opaque patient and device ids, values, alert records;
 * never patient labels (the names shown on the local console).
 */
import type { AlertEvent } from "../../core/alerting/events.js";
import type { Reading } from "../../core/model.js";
import type { DroppedRange, OutboxItem, OutboxRow } from "../../ports/upstreamOutbox.js";

export const PAYLOAD_VERSION = 1;

export interface UpstreamTopics {
  readonly readings: string;
  readonly status: string;
  readonly dropped: string;
  alert(alertId: string): string;
}

export function topicsOf(prefix: string): UpstreamTopics {
  return {
    readings: `${prefix}/readings`,
    status: `${prefix}/status`,
    dropped: `${prefix}/dropped`,
    // Alert ids are UUIDv7: no wildcard or level separator can reach the topic.
    alert: (id) => `${prefix}/alerts/${id.replace(/[+#/\0]/g, "_")}`,
  };
}

export function readingItem(r: Reading, topics: UpstreamTopics): OutboxItem {
  const body = {
    patientId: r.patientId,
    deviceId: r.deviceId,
    vital: r.vital,
    value: r.value,
    unit: r.unit,
    ...(r.precision === undefined ? {} : { precision: r.precision }),
    time: r.time,
    receivedAt: r.receivedAt,
    quality: r.quality,
  };
  return { kind: "reading", topic: topics.readings, body: JSON.stringify(body) };
}

/**
 * One item per event that carries an alert. Retained, so a central console that starts late sees
 * the latest state of every alert; a resolved alert expires from the broker after
 * `resolvedRetainSeconds` (MQTT 5 §3.3.2.3.3) so retained alerts do not pile up forever.
 */
export function alertItems(events: readonly AlertEvent[], topics: UpstreamTopics, resolvedRetainSeconds: number): OutboxItem[] {
  return events.flatMap((e): OutboxItem[] => {
    if (!("alert" in e)) return []; // suppress / reject / note stay in the local audit log
    const body = JSON.stringify({ event: e.type, ...(e.type === "escalate" ? { level: e.level } : {}), alert: e.alert });
    const expiry = e.type === "resolve" && resolvedRetainSeconds > 0 ? { expirySeconds: resolvedRetainSeconds } : {};
    return [{ kind: "alert", topic: topics.alert(e.alert.id), body, retain: true, ...expiry, alert: { id: e.alert.id, open: e.type !== "resolve" } }];
  });
}

/**
 * A readings message: consecutive rows, each with its seq (the dedupe key), plus the outbox's
 * cumulative drop count so a receiver can tell a dropped range from a lost one.
 */
export function composeReadings(gatewayId: string, rows: readonly OutboxRow[], droppedReadings: number): string {
  const first = rows[0]?.seq ?? 0;
  const last = rows.at(-1)?.seq ?? 0;
  // The stored bodies are JSON objects: splice the seq in rather than parse and re-serialise.
  const items = rows.map((r) => `{"seq":${r.seq},${r.body.slice(1)}`).join(",");
  return `{"v":${PAYLOAD_VERSION},"type":"readings","gatewayId":${JSON.stringify(gatewayId)},"first":${first},"last":${last},"droppedReadings":${droppedReadings},"readings":[${items}]}`;
}

/** An alert message; `seq` orders the states of one alert and is its idempotency key. */
export function composeAlert(gatewayId: string, row: OutboxRow): string {
  return `{"v":${PAYLOAD_VERSION},"type":"alert","gatewayId":${JSON.stringify(gatewayId)},"seq":${row.seq},${row.body.slice(1)}`;
}

/**
 * Readings the outbox bound deleted: every reading seq in first..last that the receiver lacks was
 * dropped on purpose, not lost (alerts whose seqs fall in the range were never dropped).
 */
export function composeDropped(gatewayId: string, range: DroppedRange): string {
  return JSON.stringify({ v: PAYLOAD_VERSION, type: "dropped", gatewayId, first: range.first, last: range.last, count: range.count, at: range.at });
}

export const LINK_STATUS = ["online", "offline"] as const;
export type LinkStatusWord = (typeof LINK_STATUS)[number];

export function statusPayload(gatewayId: string, state: LinkStatusWord, reason: string, at?: number): string {
  return JSON.stringify({ v: PAYLOAD_VERSION, type: "status", gatewayId, state, reason, ...(at === undefined ? {} : { at }) });
}
