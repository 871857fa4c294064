/**
 * Points to SVG path data for sparklines and the detail charts. Pure, so the drawing is tested
 * without a browser; inline SVG needs no third-party code and no relaxation of the CSP.
 */
export interface Point {
  readonly t: number;
  readonly v: number;
}

export interface Band {
  readonly t: number;
  readonly min: number;
  readonly max: number;
}

export interface Frame {
  readonly since: number;
  readonly until: number;
  readonly width: number;
  readonly height: number;
  /** Value range; when absent, the data's own range with a little headroom. */
  readonly lo?: number;
  readonly hi?: number;
}

/** The y range that shows the values (never empty: a flat line sits in the middle). */
export function valueRange(values: readonly number[]): { lo: number; hi: number } {
  if (values.length === 0) return { lo: 0, hi: 1 };
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi === lo ? Math.max(1, Math.abs(hi) * 0.05) : (hi - lo) * 0.1;
  return { lo: lo - pad, hi: hi + pad };
}

function scale(f: Frame, values: readonly number[]) {
  const r = f.lo !== undefined && f.hi !== undefined ? { lo: f.lo, hi: f.hi } : valueRange(values);
  const x = (t: number) => round(((t - f.since) / (f.until - f.since)) * f.width);
  const y = (v: number) => round(f.height - ((v - r.lo) / (r.hi - r.lo)) * f.height);
  return { x, y, ...r };
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * A polyline through the points inside the frame; a gap longer than `gapMs` breaks the line, so
 * a sensor that was off is not drawn as a straight, invented trend.
 */
export function linePath(points: readonly Point[], f: Frame, gapMs: number): string {
  const inside = points.filter((p) => p.t >= f.since && p.t <= f.until);
  const s = scale(f, inside.map((p) => p.v));
  const runs: Point[][] = [];
  for (const p of inside) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last && p.t - last.t <= gapMs) run.push(p);
    else runs.push([p]);
  }
  // A lone point is a zero-length segment: drawn as a dot with round line caps.
  return runs.map((run) => run.map((p, i) => `${i === 0 ? "M" : "L"}${s.x(p.t)} ${s.y(p.v)}`).join(" ") + (run.length === 1 ? " h0" : "")).join(" ");
}

/** The min–max band of buckets as one closed shape per unbroken run. */
export function bandPath(buckets: readonly Band[], f: Frame, gapMs: number): string {
  const inside = buckets.filter((b) => b.t >= f.since && b.t <= f.until);
  const s = scale(f, inside.flatMap((b) => [b.min, b.max]));
  const runs: Band[][] = [];
  for (const b of inside) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last && b.t - last.t <= gapMs) run.push(b);
    else runs.push([b]);
  }
  return runs
    .map((run) => {
      const top = run.map((b) => `${s.x(b.t)} ${s.y(b.max)}`);
      const bottom = [...run].reverse().map((b) => `${s.x(b.t)} ${s.y(b.min)}`);
      return `M${[...top, ...bottom].join(" L")} Z`;
    })
    .join(" ");
}

/** Round values for the y axis: about `count` ticks inside [lo, hi]. */
export function ticks(lo: number, hi: number, count = 4): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((x) => x >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}
