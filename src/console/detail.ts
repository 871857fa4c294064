/**
 * A patient's detail view: 24 h charts per vital (min–max band and mean, from the history API's
 * buckets), NEWS2 as the alarm recorded it, the alarm history with who acknowledged what and when,
 * and the nurse's entries.
 */
import type { Vital } from "../core/model.js";
import { alarmsPath, bucketsPath, getJson, type AlarmsAnswer, type BucketsAnswer, type Bucket } from "./api.js";
import { bandPath, linePath, ticks, valueRange } from "./chartGeometry.js";
import { button, el, svg } from "./dom.js";
import { clinicalText, clockTime, NEWS2_LABELS, SHOWN_VITALS, unitLabel, vitalLabel } from "./format.js";
import type { News2Parameter } from "../core/rules/news2.js";

const DAY = 86_400_000;
const W = 600;
const H = 120;

/** Chart ranges: 24 h by default (issue 10); shorter ones for a fast-changing bed. ~180–290 points each. */
export const RANGES = [
  { label: "15 min", ms: 15 * 60_000, step: 5000 },
  { label: "1 h", ms: 3_600_000, step: 20_000 },
  { label: "6 h", ms: 6 * 3_600_000, step: 2 * 60_000 },
  { label: "24 h", ms: DAY, step: 5 * 60_000 },
] as const;
export type Range = (typeof RANGES)[number];

export async function renderDetail(doc: Document, root: HTMLElement, patientId: string, label: string, now: number, fetcher: typeof fetch, range: Range = RANGES[3]): Promise<void> {
  const since = now - range.ms;
  const STEP = range.step;
  root.replaceChildren(el(doc, "p", { class: "loading" }, "Loading history…"));
  // Alarms and entries always cover the last 24 h; the charts cover the chosen range.
  const [readings, alarms] = await Promise.all([getJson<BucketsAnswer>(fetcher, bucketsPath(patientId, since, now, STEP)), getJson<AlarmsAnswer>(fetcher, alarmsPath(patientId, now - DAY))]);
  const head = el(doc, "header", { class: "detail-head" });
  const ranges = el(doc, "div", { class: "ranges", role: "group", "aria-label": "Chart range" });
  for (const r of RANGES) {
    ranges.append(button(doc, r.label, () => void renderDetail(doc, root, patientId, label, Date.now(), fetcher, r), { "aria-pressed": String(r === range) }));
  }
  head.append(el(doc, "a", { href: "#/", class: "back" }, "← All beds"), el(doc, "h2", { id: "detail-title", tabindex: "-1" }, label), ranges);
  const charts = el(doc, "section", { class: "charts", "aria-label": `Last ${range.label}` });
  const byVital = new Map<Vital, Bucket[]>();
  for (const b of readings.buckets) byVital.set(b.vital, [...(byVital.get(b.vital) ?? []), b]);
  for (const vital of SHOWN_VITALS) {
    const buckets = byVital.get(vital);
    if (buckets) charts.append(chart(doc, vital, buckets, since, now, range));
  }
  if (byVital.size === 0) charts.append(el(doc, "p", {}, `No readings in the last ${range.label}.`));
  root.replaceChildren(head, charts, news2History(doc, alarms), alarmHistory(doc, alarms), entries(doc, alarms));
  doc.getElementById("detail-title")?.focus();
}

function chart(doc: Document, vital: Vital, buckets: readonly Bucket[], since: number, until: number, range: Range): HTMLElement {
  const STEP = range.step;
  const fig = el(doc, "figure", { class: "chart", "data-chart-vital": vital, "data-points": String(buckets.length) });
  fig.append(el(doc, "figcaption", {}, `${vitalLabel(vital)} (${unitLabel(buckets[0]?.unit ?? "")}), last ${range.label}`));
  const { lo, hi } = valueRange(buckets.flatMap((b) => [b.min, b.max]));
  const frame = { since, until, width: W, height: H, lo, hi };
  const box = svg(doc, "svg", { viewBox: `-40 -6 ${W + 46} ${H + 22}`, role: "img", "aria-label": `${vitalLabel(vital)} over the last ${range.label}` });
  for (const v of ticks(lo, hi)) {
    const y = String(H - ((v - lo) / (hi - lo)) * H);
    box.append(svg(doc, "line", { x1: "0", x2: String(W), y1: y, y2: y, class: "grid" }));
    const t = svg(doc, "text", { x: "-4", y, class: "tick", "text-anchor": "end", "dominant-baseline": "middle" });
    t.textContent = String(v);
    box.append(t);
  }
  for (const [x, at] of [[0, since], [W / 2, (since + until) / 2], [W, until]] as const) {
    const t = svg(doc, "text", { x: String(x), y: String(H + 14), class: "tick", "text-anchor": x === 0 ? "start" : x === W ? "end" : "middle" });
    t.textContent = clockTime(at);
    box.append(t);
  }
  box.append(svg(doc, "path", { d: bandPath(buckets, frame, 3 * STEP), class: "band" }));
  box.append(svg(doc, "path", { d: linePath(buckets.map((b) => ({ t: b.t, v: b.avg })), frame, 3 * STEP), class: "line", fill: "none" }));
  fig.append(box);
  return fig;
}

function news2History(doc: Document, a: AlarmsAnswer): HTMLElement {
  const s = el(doc, "section", { class: "news2-history" });
  s.append(el(doc, "h3", {}, "NEWS2 (as the alarm recorded it)"));
  if (a.news2.length === 0) s.append(el(doc, "p", {}, "NEWS2 raised no alarm in the last 24 hours."));
  const list = el(doc, "ol", { class: "history-list" });
  for (const p of [...a.news2].reverse().slice(0, 50)) {
    const parts = (Object.entries(p.subscores) as [News2Parameter, number][]).filter(([, v]) => v > 0).map(([k, v]) => `${NEWS2_LABELS[k] ?? k} ${v}`);
    list.append(el(doc, "li", {}, `${clockTime(p.at)} · NEWS2 ${p.total}${parts.length ? ` (${parts.join(", ")})` : ""}`));
  }
  s.append(list);
  return s;
}

function alarmHistory(doc: Document, a: AlarmsAnswer): HTMLElement {
  const s = el(doc, "section", { class: "alarm-history" });
  s.append(el(doc, "h3", {}, "Alarms, last 24 h"));
  const table = el(doc, "table");
  const head = el(doc, "tr");
  for (const h of ["Raised", "Priority", "Alarm", "State", "Acknowledged"]) head.append(el(doc, "th", { scope: "col" }, h));
  table.append(head);
  for (const { alert, ack } of a.alarms) {
    const tr = el(doc, "tr", { "data-alert-id": alert.id, "data-priority": alert.priority });
    for (const text of [clockTime(alert.raisedAt), alert.priority, clinicalText(alert.message), alert.state.replace("_", " "), ack ? `${ack.user} at ${clockTime(ack.at)}` : "—"]) tr.append(el(doc, "td", {}, text));
    table.append(tr);
  }
  s.append(a.alarms.length > 0 ? table : el(doc, "p", {}, "No alarms in the last 24 hours."));
  return s;
}

function entries(doc: Document, a: AlarmsAnswer): HTMLElement {
  const s = el(doc, "section", { class: "entries" });
  s.append(el(doc, "h3", {}, "Nurse entries"));
  const list = el(doc, "ol", { class: "history-list" });
  for (const e of a.entries) list.append(el(doc, "li", {}, `${clockTime(e.at)} · ${e.user} (${e.role}) · ${entryText(e.input)}`));
  s.append(a.entries.length > 0 ? list : el(doc, "p", {}, "No entries in the last 24 hours."));
  return s;
}

function entryText(input: Readonly<Record<string, unknown>>): string {
  switch (input["type"]) {
    case "acvpu":
      return `ACVPU ${String(input["value"])}`;
    case "oxygen":
      return input["onOxygen"] === true ? "on oxygen" : "on air";
    case "spo2_scale":
      return `SpO₂ scale ${String(input["scale"])}${typeof input["reason"] === "string" ? ` (${input["reason"]})` : ""}`;
    default:
      return String(input["type"]);
  }
}
