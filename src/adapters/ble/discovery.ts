/**
 * Shared LE discovery on one adapter: scanning runs while anyone holds a lease (a device not yet
 * known to BlueZ, or advertisement listening) and stops when the last lease is released. BlueZ
 * gives each D-Bus client its own discovery session and merges filters, so if another client is
 * already scanning we ride along and never stop a scan we did not start.
 */
import { withTimeout } from "./lifetime.js";
import { errorText, type Adapter } from "./nodeBle.js";

export class DiscoveryLease {
  private holders = 0;
  private ours = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly adapter: Adapter,
    private readonly opTimeoutMs: number,
    private readonly report: (message: string) => void,
  ) {}

  /** Start (or keep) scanning; call the returned function once to release. */
  acquire(): () => void {
    this.holders++;
    if (this.holders === 1) this.enqueue(() => this.start());
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders--;
      if (this.holders === 0) this.enqueue(() => this.halt());
    };
  }

  /** Stop a scan we started, whoever still holds a lease; for shutdown. */
  async close(): Promise<void> {
    this.holders = 0;
    this.enqueue(() => this.halt());
    await this.queue;
  }

  /** The D-Bus session died and took our scan with it: forget it without calling BlueZ. */
  abandon(): void {
    this.holders = 0;
    this.ours = false;
  }

  // Start/stop calls are serialised: node-ble's startDiscovery throws if Discovering is already true.
  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((e: unknown) => this.report(`LE discovery: ${errorText(e)}`));
  }

  private async start(): Promise<void> {
    if (this.holders === 0 || this.ours) return;
    if (await withTimeout(this.adapter.isDiscovering(), this.opTimeoutMs, "Discovering")) return;
    await withTimeout(this.adapter.startDiscovery(), this.opTimeoutMs, "StartDiscovery");
    this.ours = true;
  }

  private async halt(): Promise<void> {
    if (this.holders > 0 || !this.ours) return;
    this.ours = false;
    await withTimeout(this.adapter.stopDiscovery(), this.opTimeoutMs, "StopDiscovery");
  }
}
