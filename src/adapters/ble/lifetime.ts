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
  private readonly onStop = new Set<() => void>();
  private done = false;

  get stopped(): boolean {
    return this.done;
  }

  stop(): void {
    this.done = true;
    for (const f of this.onStop) f();
    this.onStop.clear();
  }

  /** Like withTimeout, and rejects with Stopped as soon as stop() is called. */
  run<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
    const bounded = withTimeout(p, ms, what);
    if (this.done) {
      bounded.catch(() => undefined); // abandoned: swallow its late rejection
      return Promise.reject(new Stopped());
    }
    return new Promise<T>((resolve, reject) => {
      const cancel = (): void => reject(new Stopped());
      this.onStop.add(cancel);
      bounded.then(
        (v) => {
          this.onStop.delete(cancel);
          resolve(v);
        },
        (e: unknown) => {
          this.onStop.delete(cancel);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  /** Waits `ms`, or less if stopped; never rejects. */
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
