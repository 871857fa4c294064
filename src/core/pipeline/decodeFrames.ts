/**
 * RawFrame → decoded values. A frame no driver can read becomes a Diagnostic (reported, counted
 * by the caller) and is dropped from the stream; the stream itself never errors (DESIGN §1).
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
        if (result.ok) {
          const { driverId, values, fields, heard } = result;
          // A bridge's JSON names the device (its `id`); the topic may not (…/BTtoMQTT/undecoded).
          const named = heard === undefined ? frame : { ...frame, deviceId: heard.deviceId };
          return { frame: named, driverId, values, fields, ...(heard === undefined ? {} : { heard }) };
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
