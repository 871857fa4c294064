import { defineDriver, output, type DriverVector, type MustFailVector } from "../../src/driverKit.js";
import { annunciation, checkCrc } from "./_cgm.js";

// Wire contract: CGM Status, characteristic 0x2AA9 (Continuous Glucose Monitoring Service 1.0.1 §3.4)
//   bytes 0-1   time offset (minutes since session start), uint16 LE
//   bytes 2-4   status, uint24 LE (Sensor Status Annunciation bit map, see ./_cgm.ts)
//   bytes 5-6   E2E-CRC, CRC-16/MCRF4XX over bytes 0-4        when the device supports E2E-CRC
// Device state only: fields, no readings.
export const driver = defineDriver({
  id: "bt-sig.cgm-status",
  name: "CGM Status (0x2AA9)",
  match: { gatt: "2aa9" },
  decode(r) {
    const out = output();
    out.field("time_offset_min", r.u16le("time_offset"));
    const status = r.u24le("status");
    out.field("status", status).field("annunciation", annunciation(status));
    if (r.remaining > 0) out.field("e2e_crc", checkCrc(r, 0));
    r.end();
    return out.done();
  },
});

export const vectors: DriverVector[] = [
  { name: "all annunciation bits, valid CRC (Nordic CGM status)", hex: "0500 3f3fff a7e0", expect: { readings: [], fields: { time_offset_min: 5, status: 16727871, e2e_crc: "e0a7" } } },
  {
    name: "no CRC (Nordic CGM status)",
    hex: "0600 010101",
    expect: { readings: [], fields: { status: 65793, annunciation: ["session_stopped", "time_synchronization_required", "below_patient_low"] } },
  },
];

export const mustFail: MustFailVector[] = [
  { name: "wrong CRC (Nordic CGM status CRC error)", hex: "0600 010101 a7e0", error: "e2e_crc" },
  { name: "truncated status", hex: "0600 01", error: "status" },
];
