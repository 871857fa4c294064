/**
 * Persist, then push — and what happens when persisting fails (issue 9 item 3). Each batch of
 * the engine's events is written to the journal (outbox + audit, one transaction), then pushed to
 * every sink (the nurses' hub first, then upstream).
 *
 * When the journal cannot write (a full disk, a database that could not be opened), the patient
 * comes first: the batch is pushed anyway, from memory, and kept in order with every later batch
 * until a retry every `retryMs` writes them all; `storage$` goes down (the gateway turns that into
 * the technical alarm "storage full: alerts are not being persisted") and up again once the
 * backlog is written. An alarm the nurse cannot see is worse than one the audit learns late.
 * Nothing here throws into the stream that delivers (the process would die silently).
 */
import { BehaviorSubject, distinctUntilChanged, type Observable, type SchedulerLike, type Subscription } from "rxjs";
import type { AlertSink } from "../../ports/alertSink.js";
import type { LinkState } from "../link.js";
import type { AlertEvent, PushEvent } from "./events.js";
import type { Journal } from "./journal.js";

export interface PersistThenPushOptions {
  readonly journal: Journal;
  readonly sinks: readonly AlertSink[];
  readonly scheduler: SchedulerLike;
  /** Retry period for events that could not be written. */
  readonly retryMs: number;
  /** Each failed write (for a rate-limited log line and a counter). */
  readonly onWriteError?: (error: unknown) => void;
  /** A sink that threw (a bug: sinks promise not to). */
  readonly onSinkError?: (error: unknown) => void;
}

export interface PersistThenPush {
  /** Persists then pushes one batch; never throws. */
  deliver(events: readonly AlertEvent[]): void;
  /** Up while everything delivered is written; down (with the store's error code) while some waits in memory. */
  readonly storage$: Observable<LinkState>;
  /** Events waiting to be written, oldest first. */
  backlog(): number;
  /** Asks the journal now whether it can write (at start: a store that could not be opened raises the alarm at once). */
  check(): void;
  stop(): void;
}

export function persistThenPush(options: PersistThenPushOptions): PersistThenPush {
  const { journal, sinks, scheduler, retryMs, onWriteError, onSinkError } = options;
  const waiting: (readonly AlertEvent[])[] = [];
  const storage = new BehaviorSubject<LinkState>({ up: true });
  let retry: Subscription | undefined;
  let writing = false;

  /** Writes the waiting batches in order; stops at the first failure and tries again later. */
  const write = (): void => {
    if (writing) return; // a batch delivered while writing (the storage alarm itself) joins the queue
    writing = true;
    let failure: unknown;
    try {
      if (waiting.length === 0) journal.record([]); // a check: can the journal write (is its store open)?
      while (waiting.length > 0) {
        journal.record(waiting[0] ?? []);
        waiting.shift();
      }
    } catch (e) {
      failure = e;
    } finally {
      writing = false;
    }
    if (failure === undefined) return storage.next({ up: true });
    onWriteError?.(failure);
    retry ??= scheduler.schedule(() => {
      retry = undefined;
      write();
    }, retryMs);
    storage.next({ up: false, why: codeOf(failure) });
  };

  /** A sink that breaks its promise not to throw must not keep the alert from the next one, nor kill the path. */
  const pushTo = (sink: AlertSink, pushed: readonly PushEvent[]): void => {
    try {
      sink.deliver(pushed);
    } catch (e) {
      onSinkError?.(e);
    }
  };

  return {
    deliver(events) {
      if (events.length === 0) return;
      waiting.push(events);
      write();
      const pushed = events.filter((e): e is PushEvent => "alert" in e);
      if (pushed.length > 0) for (const sink of sinks) pushTo(sink, pushed);
    },
    storage$: storage.pipe(distinctUntilChanged((a, b) => a.up === b.up)),
    backlog: () => waiting.reduce((n, batch) => n + batch.length, 0),
    check: write,
    stop() {
      retry?.unsubscribe();
      storage.complete();
    },
  };
}

/** The store's error code (SQLITE_FULL…) or the message: what the alarm text names. */
function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  return e instanceof Error ? e.message : String(e);
}
