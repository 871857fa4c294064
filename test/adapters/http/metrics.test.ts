/** /metrics shows the upstream outbox and link as they are at scrape time. */
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../../src/adapters/http/metrics.js";
import type { UpstreamStats } from "../../../src/adapters/upstream/upstream.js";

describe("observeUpstream", () => {
  it("exports queued, dropped and failed counts and the link state, read at each scrape", async () => {
    const metrics = createMetrics();
    let stats: UpstreamStats = { alerts: 2, readings: 500, bytes: 81_920, droppedReadings: 7, enqueueErrors: 1, alertsWaiting: 4, publishErrors: 3, messages: 40, rowsAcked: 1_200, connects: 1, link: "down" };
    metrics.observeUpstream(() => stats);
    const scrape = async () => (await metrics.registry.getSingleMetric("vg_upstream")!.get()).values.map((v) => [v.labels.stat, v.value]);
    expect(Object.fromEntries(await scrape())).toEqual({
      queued_alerts: 2,
      queued_readings: 500,
      queued_bytes: 81_920,
      dropped_readings: 7,
      enqueue_errors: 1,
      alerts_waiting: 4,
      publish_errors: 3,
      messages: 40,
      rows_acked: 1_200,
      link_up: 0,
    });
    stats = { ...stats, readings: 0, link: "up" };
    expect(Object.fromEntries(await scrape())).toMatchObject({ queued_readings: 0, link_up: 1 });
    expect(await metrics.registry.metrics()).toContain('vg_upstream{stat="dropped_readings"} 7');
  });
});
