/**
 * A Subject that keeps what is sent before its subscriber arrives and hands it over then, for the
 * alert path's inputs: the gateway is wired in order, and something may report a condition while
 * it is still being wired (the anomaly model's "unavailable" as it loads). Start-up order must
 * never lose an alarm. Meant for one subscriber (the one alert path).
 */
import { Observable, Subject } from "rxjs";

export class Inbox<T> {
  private early: T[] | undefined = [];
  private readonly subject = new Subject<T>();

  readonly observable = new Observable<T>((subscriber) => {
    const sub = this.subject.subscribe(subscriber);
    const early = this.early ?? [];
    this.early = undefined;
    for (const value of early) subscriber.next(value);
    return sub;
  });

  next(value: T): void {
    if (this.early) this.early.push(value);
    else this.subject.next(value);
  }

  complete(): void {
    this.subject.complete();
  }
}
