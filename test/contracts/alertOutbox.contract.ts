/** The AlertOutbox contract: every adapter (SQLite, in-memory fake) must pass it. */
import { afterEach, describe, expect, it } from "vitest";
import type { Alert } from "../../src/core/model.js";
import type { AlertOutbox } from "../../src/ports/alertOutbox.js";

export const alert = (id: string, raisedAt: number, over: Partial<Alert> = {}): Alert => ({
  id, patientId: "p1", kind: "physiological", priority: "high", cause: `threshold:heart_rate:high`, message: "heart rate high",
  state: "active", ruleSetVersion: "t-1", inputs: [{ vital: "heart_rate", value: 140, unit: "/min", time: raisedAt, deviceId: "d1" }],
  raisedAt, raisedAtMonotonic: raisedAt, ...over,
});


export function alertOutboxContract(name: string, make: () => { outbox: AlertOutbox; reopen?: () => AlertOutbox }): void {
  describe(`AlertOutbox contract: ${name}`, () => {
    let outbox: AlertOutbox;
    afterEach(() => outbox.close());

    it("records alerts, lists open and undelivered ones oldest first, and is idempotent by id", () => {
      ({ outbox } = make());
      outbox.record(alert("b", 2000));
      outbox.record(alert("a", 1000));
      outbox.record(alert("a", 1000)); // a retry of the same alert
      expect(outbox.open().map((x) => x.id)).toEqual(["a", "b"]);
      expect(outbox.pending().map((x) => x.id)).toEqual(["a", "b"]);
      outbox.markDelivered("a", 3000);
      expect(outbox.pending().map((x) => x.id)).toEqual(["b"]);
      expect(outbox.get("a")).toEqual(alert("a", 1000));
      expect(outbox.get("zzz")).toBeUndefined();
    });

    it("stores each alert's latest state; resolved alerts leave the open list", () => {
      ({ outbox } = make());
      outbox.record(alert("a", 1000));
      outbox.record({ ...alert("a", 1000), state: "acknowledged" });
      expect(outbox.get("a")?.state).toBe("acknowledged");
      expect(outbox.open().map((x) => x.id)).toEqual(["a"]);
      outbox.record({ ...alert("a", 1000), state: "resolved" });
      expect(outbox.open()).toEqual([]);
    });

    it("is healthy while open and not after close", () => {
      ({ outbox } = make());
      expect(outbox.healthy()).toBe(true);
      outbox.close();
      expect(outbox.healthy()).toBe(false);
    });

    it("undelivered and open alerts survive a restart (durable adapters only)", () => {
      const made = make();
      outbox = made.outbox;
      outbox.record(alert("a", 1000));
      outbox.record(alert("b", 2000));
      outbox.markDelivered("b", 2500);
      outbox.record({ ...alert("b", 2000), state: "acknowledged" });
      if (!made.reopen) return;
      outbox.close();
      outbox = made.reopen();
      expect(outbox.pending().map((x) => x.id)).toEqual(["a"]);
      expect(outbox.open().map((x) => [x.id, x.state])).toEqual([["a", "active"], ["b", "acknowledged"]]);
    });
  });
}
