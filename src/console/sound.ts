/**
 * Alarm sounds by priority, after IEC 60601-1-8 (research: the standard's burst patterns): high =
 * 10 pulses (3+2, 3+2) repeating until nothing high is active; medium = 3 pulses repeating more
 * slowly; low = 2 pulses, once. Distinct in rhythm and pitch, so a nurse can tell them apart
 * without looking. `alarmPattern` is pure; `AlarmSound` plays it with WebAudio and is created
 * only by the app, after a click (browsers block audio before a gesture).
 */
import type { AlertPriority } from "../core/model.js";

export interface Pulse {
  /** Seconds from the start of the burst. */
  readonly at: number;
  readonly seconds: number;
  readonly hz: number;
}

export interface AlarmPattern {
  readonly pulses: readonly Pulse[];
  /** Repeat the burst this often while the alarm is active; absent: once. */
  readonly repeatMs?: number;
}

const burst = (hz: number, seconds: number, starts: readonly number[]): Pulse[] => starts.map((at) => ({ at, seconds, hz }));

export function alarmPattern(priority: AlertPriority): AlarmPattern {
  switch (priority) {
    case "high":
      // 3+2 pulses, twice: "x-x-x--x-x ... x-x-x--x-x"; 150 ms pulses at C5-ish with harmonics.
      return { pulses: burst(523, 0.15, [0, 0.25, 0.5, 1.0, 1.25, 2.5, 2.75, 3.0, 3.5, 3.75]), repeatMs: 10_000 };
    case "medium":
      return { pulses: burst(440, 0.2, [0, 0.35, 0.7]), repeatMs: 25_000 };
    case "low":
      return { pulses: burst(392, 0.25, [0, 0.5]) };
    default:
      return priority satisfies never;
  }
}

export class AlarmSound {
  private ctx: AudioContext | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private current: AlertPriority | undefined;

  constructor(private readonly createContext: () => AudioContext, private readonly played: (p: AlertPriority) => void) {}

  /** Call from a click handler: creates or resumes the audio context. */
  async enable(): Promise<void> {
    this.ctx ??= this.createContext();
    await this.ctx.resume();
  }

  disable(): void {
    this.sync(undefined);
    void this.ctx?.suspend();
  }

  /** The worst active priority now: starts, changes or stops the repeating signal. */
  sync(priority: AlertPriority | undefined): void {
    if (priority === this.current) return;
    this.current = priority;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (priority === undefined) return;
    this.play(priority);
    const repeat = alarmPattern(priority).repeatMs;
    if (repeat !== undefined) this.timer = setInterval(() => this.play(priority), repeat);
  }

  /** A re-announced or escalated alarm sounds again at once. */
  announce(priority: AlertPriority): void {
    this.play(priority);
  }

  private play(priority: AlertPriority): void {
    this.played(priority);
    const ctx = this.ctx;
    if (!ctx || ctx.state !== "running") return;
    const start = ctx.currentTime + 0.05;
    for (const p of alarmPattern(priority).pulses) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "square"; // odd harmonics: the standard asks for at least four
      osc.frequency.value = p.hz;
      // Short ramps: a click-free pulse with a clear onset.
      gain.gain.setValueAtTime(0, start + p.at);
      gain.gain.linearRampToValueAtTime(0.2, start + p.at + 0.02);
      gain.gain.setValueAtTime(0.2, start + p.at + p.seconds - 0.02);
      gain.gain.linearRampToValueAtTime(0, start + p.at + p.seconds);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + p.at);
      osc.stop(start + p.at + p.seconds);
    }
  }
}
