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

describe("process metrics", () => {
  it("exports resident memory, heap, event-loop lag and GC under the standard Node.js names", async () => {
    const metrics = createMetrics();
    createMetrics(); // a second gateway in the same process (tests) must not clash
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the event-loop delay monitor sample
    const text = await metrics.registry.metrics();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, "m").exec(text)?.[1]);
    expect(value("process_resident_memory_bytes")).toBeGreaterThan(1024 * 1024);
    expect(value("nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    expect(value("nodejs_heap_size_total_bytes")).toBeGreaterThan(0);
    expect(value("nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect(text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram/m);
  });
});
