import { describe, expect, it } from "vitest";
import { alertItems, composeAlert, composeReadings, readingItem, statusPayload, topicsOf } from "../../../src/adapters/upstream/payloads.js";
import type { AlertEvent } from "../../../src/core/alerting/events.js";
import { alert, raised, readingOf, resolved } from "./harness.js";

const topics = topicsOf("gateways/gw1");

describe("upstream payloads", () => {
  it("a readings message is valid JSON with each reading's seq, the range and the drop count", () => {
    const rows = [readingOf(1), { ...readingOf(2), precision: 1 }].map((r, i) => ({ ...readingItem(r, topics), seq: 41 + i, createdAt: 0 }));
    const msg = JSON.parse(composeReadings("gw1", rows, 7)) as Record<string, unknown>;
    expect(msg).toEqual({
      v: 1, type: "readings", gatewayId: "gw1", first: 41, last: 42, droppedReadings: 7,
      readings: [
        { seq: 41, patientId: "p1", deviceId: "d1", vital: "heart_rate", value: 61, unit: "/min", time: readingOf(1).time, receivedAt: readingOf(1).receivedAt, quality: ["receipt_time"] },
        { seq: 42, patientId: "p1", deviceId: "d1", vital: "heart_rate", value: 62, unit: "/min", precision: 1, time: readingOf(2).time, receivedAt: readingOf(2).receivedAt, quality: ["receipt_time"] },
      ],
    });
  });

  it("alert events become retained messages on the alert's own topic; a resolved one expires; others are not sent", () => {
    const a = alert("0190aaaa-0000-7000-8000-00000000000a", 1000);
    const note: AlertEvent = { type: "note", patientId: "p1", audit: { type: "clinical_input", at: 1, data: {} } };
    const items = alertItems([raised(a), note, resolved(a)], topics, 3600);
    expect(items.map((i) => [i.topic, i.retain, i.expirySeconds])).toEqual([
      [`gateways/gw1/alerts/${a.id}`, true, undefined],
      [`gateways/gw1/alerts/${a.id}`, true, 3600],
    ]);
    const msg = JSON.parse(composeAlert("gw1", { ...items[1]!, seq: 9, createdAt: 0 })) as { seq: number; event: string; alert: { id: string; state: string } };
    expect([msg.seq, msg.event, msg.alert.id, msg.alert.state]).toEqual([9, "resolve", a.id, "resolved"]);
  });

  it("keeps wildcards and separators out of alert topics, and says who is offline and why", () => {
    expect(topics.alert("a/b+#")).toBe("gateways/gw1/alerts/a_b__");
    expect(JSON.parse(statusPayload("gw1", "offline", "connection_lost"))).toEqual({ v: 1, type: "status", gatewayId: "gw1", state: "offline", reason: "connection_lost" });
  });
});
