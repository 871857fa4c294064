/**
 * Bounded awaits for D-Bus calls that can hang (node-ble has no timeouts, research §3.3), and a
 * stop signal every in-flight await races against, so stop() never waits on a hung call.
 */
export class Stopped extends Error {
  constructor() {
    super("stopped");
    this.name = "Stopped";
  }
}

/** Settles like `p`, or rejects after `ms` naming `what`. The timer never outlives the race. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export class Lifetime {
  private readonly onStop = new Set<(why: Error) => void>();
  private done = false;

  get stopped(): boolean {
    return this.done;
  }

  stop(): void {
    this.done = true;
    this.interrupt(new Stopped());
  }

  /** Reject every in-flight run with `why` and wake every sleeper, without stopping (e.g. the bus died). */
  interrupt(why: Error): void {
    const pending = [...this.onStop];
    this.onStop.clear();
    for (const f of pending) f(why);
  }

  /** Like withTimeout, and rejects with Stopped as soon as stop() is called; no timer outlives it. */
  run<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
    if (this.done) {
      p.catch(() => undefined); // abandoned: swallow its late rejection
      return Promise.reject(new Stopped());
    }
    return new Promise<T>((resolve, reject) => {
      const settle = (f: () => void): void => {
        clearTimeout(timer);
        this.onStop.delete(cancel);
        f();
      };
      const cancel = (why: Error): void => settle(() => reject(why));
      const timer = setTimeout(() => settle(() => reject(new Error(`${what} timed out after ${ms} ms`))), ms);
      this.onStop.add(cancel);
      p.then(
        (v) => settle(() => resolve(v)),
        (e: unknown) => settle(() => reject(e instanceof Error ? e : new Error(String(e)))),
      );
    });
  }

  /** Waits `ms`, or less if stopped or interrupted; never rejects. */
  sleep(ms: number): Promise<void> {
    if (this.done) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.onStop.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.onStop.add(wake);
    });
  }
}
