/**
 * RawFrame → decoded values. A frame no driver can read becomes a Diagnostic (reported, counted
 * by the caller) and is dropped from the stream; so does a well-formed frame with no value for the
 * patient (code no_reading: sensor contact lost, a NaN or special value); the stream itself never
 * errors (DESIGN §1).
 */
import { filter, map, type OperatorFunction } from "rxjs";
import { decodeFrame, type Heard } from "../decode/decodeFrame.js";
import type { DriverRegistry } from "../decode/registry.js";
import { bytesToHex } from "../decode/kit.js";
import type { Diagnostic } from "../errors.js";
import type { DecodedValue, RawFrame } from "../model.js";

export interface DecodedFrame {
  readonly frame: RawFrame;
  readonly driverId: string;
  readonly values: readonly DecodedValue[];
  /** Everything the driver decoded (e.g. a scale's own clock, which dedupeFrames keys on). */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** For a bridge message: the device it names, its RSSI and which bridge heard it. */
  readonly heard?: Heard;
}

export function decodeFrames(registry: DriverRegistry, report: (d: Diagnostic) => void): OperatorFunction<RawFrame, DecodedFrame> {
  return (frames) =>
    frames.pipe(
      map((frame): DecodedFrame | undefined => {
        const result = decodeFrame(registry, frame);
        if (result.ok && result.values.length > 0) {
          const { driverId, values, fields, heard } = result;
          // A bridge's JSON names the device (its `id`); the topic may not (…/BTtoMQTT/undecoded).
          const named = heard === undefined ? frame : { ...frame, deviceId: heard.deviceId };
          return { frame: named, driverId, values, fields, ...(heard === undefined ? {} : { heard }) };
        }
        if (result.ok) {
          // Well-formed but no value for the patient: counted and said why, never dropped silently.
          report({ code: "no_reading", message: `${result.driverId}: no reading: ${whyNoReading(result.fields)}`, where: `device ${frame.deviceId} ${frame.source}/${frame.channel}` });
          return undefined;
        }
        const e = result.error;
        // Kit errors already name driver, field and offset; others (e.g. JSON) get them appended.
        const where = e.field !== undefined && !e.message.includes(`'${e.field}'`) ? ` [field ${e.field}${e.offset === undefined ? "" : ` at offset ${e.offset}`}]` : "";
        report({
          code: e.code,
          message: `${e.message}${where}`,
          where: `device ${frame.deviceId} ${frame.source}/${frame.channel}`,
          hex: bytesToHex(frame.bytes.subarray(0, 64)),
        });
        return undefined;
      }),
      filter((d): d is DecodedFrame => d !== undefined),
    );
}

/** The drivers' `no_reading` reasons (core/decode/output.ts), e.g. "heart_rate: sensor contact not detected". */
function whyNoReading(fields: Readonly<Record<string, unknown>>): string {
  const why = fields["no_reading"];
  if (typeof why !== "object" || why === null) return "the frame carries no patient value";
  return Object.entries(why as Record<string, unknown>).map(([field, reason]) => `${field}: ${String(reason)}`).join("; ");
}
