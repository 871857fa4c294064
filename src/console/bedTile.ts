/**
 * One bed's tile on the board, kept for the life of the page and updated in place: a reading
 * changes one value, an age ticks, and the nurse's open ACVPU select or O₂ box is never rebuilt
 * (issue 10: entries wiped by redraws). What the inputs show comes from the gateway's state.
 */
import type { Vital } from "../core/model.js";
import type { News2Parameter } from "../core/rules/news2.js";
import type { ClientMessage } from "../adapters/ws/messages.js";
import { linePath } from "./chartGeometry.js";
import { el, setData, setText, svg } from "./dom.js";
import { ACVPU_TEXT, ageText, formatValue, isArtifact, isStale, NEWS2_LABELS, SHOWN_VITALS, vitalLabel } from "./format.js";
import type { BedRow } from "./beds.js";
import { TREND_STEP_MS, TREND_WINDOW_MS, type PatientState } from "./state.js";

export interface TileContext {
  readonly now: number;
  readonly role: string | undefined;
  readonly send: (m: ClientMessage) => void;
  readonly open: (patientId: string) => void;
}

interface VitalRow {
  readonly row: HTMLElement;
  readonly value: HTMLElement;
  readonly age: HTMLElement;
  readonly line: SVGElement;
}

const SPARK_W = 80;
const SPARK_H = 22;

export class BedTile {
  readonly root: HTMLElement;
  private readonly news2: HTMLElement;
  private readonly news2Parts: HTMLElement;
  private readonly vitals: HTMLElement;
  private readonly rows = new Map<Vital, VitalRow>();
  private readonly acvpu: HTMLSelectElement;
  private readonly oxygen: HTMLInputElement;
  private readonly scale: HTMLSelectElement;
  private readonly entryNote: HTMLElement;
  private shown: PatientState | undefined;

  constructor(private readonly doc: Document, p: PatientState, ctx: TileContext) {
    this.root = el(doc, "article", { class: "patient bed", "data-patient-id": p.id, "aria-label": p.label });
    const head = el(doc, "header", { class: "bed-head" });
    const title = el(doc, "h3");
    const open = el(doc, "a", { href: `#/patient/${encodeURIComponent(p.id)}`, class: "open-detail" }, p.label);
    title.append(open);
    this.news2 = el(doc, "span", { class: "news2", title: "NEWS2 total" });
    head.append(title, this.news2);
    this.news2Parts = el(doc, "p", { class: "news2-parts" });
    this.vitals = el(doc, "dl", { class: "vitals" });
    this.root.append(head, this.news2Parts, this.vitals);

    const inputs = el(doc, "div", { class: "inputs" });
    this.acvpu = el(doc, "select", { "aria-label": `Consciousness (ACVPU) of ${p.label}` });
    this.acvpu.append(el(doc, "option", { value: "" }, "ACVPU not entered"));
    for (const [value, text] of Object.entries(ACVPU_TEXT)) this.acvpu.append(el(doc, "option", { value }, text));
    this.acvpu.addEventListener("change", () => {
      const v = this.acvpu.value;
      if (v === "A" || v === "C" || v === "V" || v === "P" || v === "U") ctx.send({ type: "clinical", patientId: p.id, input: { type: "acvpu", value: v } });
    });
    this.oxygen = el(doc, "input", { type: "checkbox", "aria-label": `${p.label} on oxygen` });
    this.oxygen.addEventListener("change", () => ctx.send({ type: "clinical", patientId: p.id, input: { type: "oxygen", onOxygen: this.oxygen.checked } }));
    const o2 = el(doc, "label", { class: "o2" }, " on O₂");
    o2.prepend(this.oxygen);
    this.scale = el(doc, "select", { "aria-label": `SpO₂ scale of ${p.label}` });
    this.scale.append(el(doc, "option", { value: "1" }, "SpO₂ scale 1"), el(doc, "option", { value: "2" }, "SpO₂ scale 2 (hypercapnic)"));
    this.scale.addEventListener("change", () => ctx.send({ type: "clinical", patientId: p.id, input: { type: "spo2_scale", scale: this.scale.value === "2" ? 2 : 1 } }));
    this.entryNote = el(doc, "span", { class: "entry-note" });
    inputs.append(this.acvpu, o2, this.scale, this.entryNote);
    // A viewer sees the entries but cannot change them; only clinicians choose the SpO2 scale (RCP 2017).
    const canEnter = ctx.role !== undefined && ctx.role !== "viewer";
    this.acvpu.disabled = !canEnter;
    this.oxygen.disabled = !canEnter;
    this.scale.disabled = ctx.role !== "clinician" && ctx.role !== "admin";
    this.root.append(inputs);
  }

  update(p: PatientState, bed: BedRow | undefined, ctx: TileContext): void {
    setData(this.root, "worst", bed?.worst ?? "none");
    setData(this.root, "unhandled", bed?.unhandled ? "true" : undefined);
    if (p !== this.shown) this.updateClinical(p);
    for (const vital of SHOWN_VITALS) {
      const r = p.latest[vital];
      if (!r) continue;
      const row = this.rows.get(vital) ?? this.addRow(vital);
      const artifact = isArtifact(r);
      setText(row.value, artifact ? "no signal" : formatValue(r));
      row.value.title = artifact ? "artifact: probe off or no signal, not a measurement" : "";
      setText(row.age, ageText(ctx.now - r.time));
      setData(row.row, "stale", isStale(r, ctx.now) ? "true" : undefined);
      setData(row.row, "artifact", artifact ? "true" : undefined);
      if (p !== this.shown) row.line.setAttribute("d", linePath(p.trend[vital] ?? [], { since: ctx.now - TREND_WINDOW_MS, until: ctx.now, width: SPARK_W, height: SPARK_H }, 3 * TREND_STEP_MS));
    }
    this.shown = p;
  }

  private updateClinical(p: PatientState): void {
    const c = p.clinical;
    if (!c) {
      setText(this.news2, "NEWS2 —");
      setText(this.news2Parts, "NEWS2 not computed yet");
      return;
    }
    setText(this.news2, `NEWS2 ${c.news2.total}${c.news2.missing.length > 0 ? "*" : ""}`);
    setData(this.news2, "band", c.news2.band);
    const scoring = (Object.entries(c.news2.subscores) as [News2Parameter, number][]).filter(([, s]) => s > 0).map(([k, s]) => `${NEWS2_LABELS[k]} ${s}`);
    const missing = c.news2.missing.map((k) => NEWS2_LABELS[k]);
    setText(this.news2Parts, [scoring.length > 0 ? `scoring: ${scoring.join(", ")}` : "no parameter scores", missing.length > 0 ? `* not scored: ${missing.join(", ")}` : ""].filter(Boolean).join(" · "));
    // The gateway's state is what the inputs show, except while the nurse is using one.
    const focused = this.doc.activeElement;
    if (focused !== this.acvpu) this.acvpu.value = c.acvpu?.value ?? "";
    if (focused !== this.oxygen) this.oxygen.checked = c.onOxygen === true;
    if (focused !== this.scale) this.scale.value = String(c.scale);
    setData(this.acvpu, "current", c.acvpu ? String(c.acvpu.current) : undefined);
    setText(this.entryNote, c.acvpu && !c.acvpu.current ? "ACVPU too old to score: assess again" : c.onOxygen === undefined ? "O₂ not entered" : "");
  }

  private addRow(vital: Vital): VitalRow {
    const row = el(this.doc, "div", { class: "vital", "data-vital-row": vital });
    const value = el(this.doc, "dd", { "data-vital": vital, class: "value" });
    const age = el(this.doc, "dd", { class: "age" });
    const spark = svg(this.doc, "svg", { class: "spark", viewBox: `0 0 ${SPARK_W} ${SPARK_H}`, "aria-hidden": "true", preserveAspectRatio: "none" });
    const line = svg(this.doc, "path", { fill: "none" });
    spark.append(line);
    const sparkCell = el(this.doc, "dd", { class: "spark-cell" });
    sparkCell.append(spark);
    row.append(el(this.doc, "dt", {}, vitalLabel(vital)), value, sparkCell, age);
    this.rows.set(vital, { row, value, age, line });
    // Keep the configured order of vitals whatever order they first arrive in.
    const after = SHOWN_VITALS.slice(SHOWN_VITALS.indexOf(vital) + 1).map((v) => this.rows.get(v)?.row).find((x) => x !== undefined);
    this.vitals.insertBefore(row, after ?? null);
    return { row, value, age, line };
  }
}
