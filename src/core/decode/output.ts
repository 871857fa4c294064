/**
 * Builds a driver's output so that no value is invented: a reading is added only from a finite
 * number; a special value or a "measurement unsuccessful" sentinel becomes a field plus a
 * `no_reading` entry saying why, and the reading is left out.
 */
import { isUnitOf, type DecodedValue, type Vital } from "../model.js";
import type { DecodeOutput } from "./driver.js";
import { medfloatJson, type Medfloat } from "./medfloat.js";

export class Output {
  private readonly readings: { readonly field: string; readonly value: DecodedValue }[] = [];
  private readonly fields: Record<string, unknown> = {};
  private readonly why: Record<string, string> = {};
  private suppressed: string | undefined;
  private doubted: string | undefined;

  /** Records a decoded field (shown by `decode`, never a reading by itself). */
  field(name: string, value: unknown): this {
    this.fields[name] = value;
    return this;
  }

  /** Records a field and, from it, a reading. The unit must be one DESIGN §3 lists for the vital. */
  reading(field: string, vital: Vital, value: number, unit: string, precision?: number): this {
    this.fields[field] = value;
    return this.also(field, vital, value, unit, precision);
  }

  /** A reading from a field the driver records itself (e.g. one of several RR-intervals). */
  also(field: string, vital: Vital, value: number, unit: string, precision?: number): this {
    if (!isUnitOf(vital, unit)) throw new Error(`driver bug: '${unit}' is not a unit of ${vital}`);
    if (!Number.isFinite(value)) return this.noReading(field, `${value} is not a finite number`);
    this.readings.push({ field, value: precision === undefined ? { vital, value, unit } : { vital, value, unit, precision } });
    return this;
  }

  /** An IEEE 11073 value: a reading if finite, otherwise its special value and no reading. */
  medfloat(field: string, m: Medfloat, vital: Vital, unit: string): this {
    if (m.kind !== "value") {
      this.fields[field] = medfloatJson(m);
      return this.noReading(field, `value is ${m.kind} (IEEE 11073-20601 special value)`);
    }
    return this.reading(field, vital, m.value, unit, m.precision);
  }

  /** Says why a field produced no reading (kept in `fields.no_reading`). */
  noReading(field: string, why: string): this {
    this.why[field] = why;
    return this;
  }

  /** Drops every reading of this frame (off-body, object on the scale, invalid measurement). */
  suppress(why: string): this {
    this.suppressed ??= why;
    return this;
  }

  /**
   * Keeps every reading of this frame but marks it an artifact: the device flagged the measurement
   * as questionable. Unlike `suppress`, the value is still stored and the alerting raises a
   * technical alarm for it, so a nurse hears that the sensor doubts itself.
   */
  questionable(why: string): this {
    this.doubted ??= why;
    return this;
  }

  get count(): number {
    return this.readings.length;
  }

  done(): DecodeOutput {
    const why = { ...this.why };
    if (this.suppressed !== undefined) for (const r of this.readings) why[r.field] = this.suppressed;
    const noReading = Object.keys(why).length ? { no_reading: why } : {};
    const doubted = this.doubted;
    const values = this.readings.map((r) => (doubted === undefined ? r.value : { ...r.value, artifact: doubted }));
    const readings = this.suppressed === undefined ? values : [];
    const questionable = doubted === undefined ? {} : { questionable: doubted };
    return { readings, fields: { ...this.fields, ...noReading, ...questionable } };
  }
}

export function output(): Output {
  return new Output();
}
