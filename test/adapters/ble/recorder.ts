/** Records a stream and waits for an item by predicate (with a generous bound, not a timing assertion). */
import type { Observable } from "rxjs";

export class Recorder<T> {
  readonly items: T[] = [];
  completed = false;
  private waiters: { from: number; pred: (x: T) => boolean; resolve: (x: T) => void }[] = [];

  constructor(stream: Observable<T>) {
    stream.subscribe({
      next: (x) => {
        this.items.push(x);
        this.waiters = this.waiters.filter((w) => !this.settle(w));
      },
      complete: () => (this.completed = true),
    });
  }

  /** The first item at index ≥ from that matches; rejects after ms naming what it waited for. */
  next(pred: (x: T) => boolean, from = 0, ms = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching item after ${ms} ms; saw ${JSON.stringify(this.items.slice(from))}`)), ms);
      const w = { from, pred, resolve: (x: T) => (clearTimeout(timer), resolve(x)) };
      if (!this.settle(w)) this.waiters.push(w);
    });
  }

  private settle(w: { from: number; pred: (x: T) => boolean; resolve: (x: T) => void }): boolean {
    const hit = this.items.slice(w.from).find(w.pred);
    if (hit === undefined) return false;
    w.resolve(hit);
    return true;
  }
}
