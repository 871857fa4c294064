/**
 * The alarm queue: one row per bed, worst first, with every cause of that bed inside it, how long
 * each has been going on, and who acknowledged it when. Rebuilt when alerts change (rarely); the
 * control that had keyboard focus gets it back.
 */
import type { Alert } from "../core/model.js";
import type { AckInfo, ClientMessage } from "../adapters/ws/messages.js";
import type { BedRow } from "./beds.js";
import { button, el } from "./dom.js";
import { clinicalText, clockTime, durationText } from "./format.js";

export interface QueueContext {
  readonly now: number;
  readonly role: string | undefined;
  readonly acks: Readonly<Record<string, AckInfo>>;
  readonly modelDown: boolean;
  readonly send: (m: ClientMessage) => void;
}

const SHOWN_CAUSES = 2;

export function renderQueue(doc: Document, list: HTMLElement, rows: readonly BedRow[], ctx: QueueContext, openMore: Set<string>): void {
  const focusKey = (doc.activeElement as HTMLElement | null)?.dataset?.["focusKey"];
  list.replaceChildren(
    ...rows
      .filter((r) => r.alerts.length > 0)
      .map((r) => {
        const li = el(doc, "li", { class: "bed-alarm", "data-patient-id": r.patientId, "data-priority": r.worst ?? "low", ...(r.unhandled ? { "data-unhandled": "true" } : {}) });
        const head = el(doc, "div", { class: "bed-alarm-head" });
        head.append(el(doc, "strong", { class: "priority" }, (r.worst ?? "").toUpperCase()), " ", el(doc, "a", { href: `#/patient/${encodeURIComponent(r.patientId)}` }, r.label));
        const causes = el(doc, "ul", { class: "causes" });
        // The two worst causes in view; the rest one click away, so a bed stays one short row on a phone.
        causes.append(...r.alerts.slice(0, SHOWN_CAUSES).map((a) => cause(doc, a, ctx)));
        li.append(head, causes);
        const rest = r.alerts.slice(SHOWN_CAUSES);
        if (rest.length > 0) {
          const more = el(doc, "details", { class: "more-causes", "data-patient-id": r.patientId });
          if (openMore.has(r.patientId)) more.open = true;
          more.addEventListener("toggle", () => (more.open ? openMore.add(r.patientId) : openMore.delete(r.patientId)));
          const list = el(doc, "ul", { class: "causes" });
          list.append(...rest.map((a) => cause(doc, a, ctx)));
          more.append(el(doc, "summary", {}, `${rest.length} more ${rest.length === 1 ? "cause" : "causes"}`), list);
          li.append(more);
        }
        return li;
      }),
  );
  if (focusKey) list.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}

function cause(doc: Document, a: Alert, ctx: QueueContext): HTMLElement {
  const li = el(doc, "li", { class: "alert", "data-priority": a.priority, "data-state": a.state, "data-kind": a.kind, "data-cause": a.cause, "data-alert-id": a.id });
  const what = el(doc, "div", { class: "what" });
  what.append(el(doc, "span", { class: "message" }, clinicalText(a.message)), el(doc, "div", { class: "meta" }, metaOf(a, ctx)));
  const ack = ctx.acks[a.id];
  if (a.state === "acknowledged" && ack) what.append(el(doc, "div", { class: "acked" }, `Acknowledged by ${ack.user} at ${clockTime(ack.at)}`));
  li.append(what);
  if (ctx.role !== undefined && ctx.role !== "viewer" && a.state !== "acknowledged") {
    li.append(button(doc, "Acknowledge", () => ctx.send({ type: "ack", alertId: a.id }), { "data-focus-key": `ack:${a.id}` }));
    // Low priority has no repeating sound to pause; medium and high do.
    if (a.state === "active" && a.priority !== "low") li.append(button(doc, "Pause audio", () => ctx.send({ type: "pause", alertId: a.id, kind: "audio_pause" }), { "data-focus-key": `pause:${a.id}` }));
  }
  return li;
}

function metaOf(a: Alert, ctx: QueueContext): string {
  const parts = [a.kind, a.state.replace("_", " "), `since ${clockTime(a.raisedAt)}`, durationText(ctx.now - a.raisedAt)];
  if (a.escalation) parts.push(`escalated (level ${a.escalation})`);
  if (a.modelScore !== undefined) parts.push(`model risk ${a.modelScore.toFixed(2)}`);
  // "unavailable" also covers a patient the model has not scored yet; only a technical alarm means it is down.
  if (a.modelStatus === "unavailable") parts.push(ctx.modelDown ? "model unavailable" : "no model score yet");
  return parts.join(" · ");
}
