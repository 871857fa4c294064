/** Minimal inline-SVG charts for the eval report: no scripts, no external assets. */

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const n = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : "0");

export interface Line {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

/** ROC-style chart on the unit square with a chance diagonal. */
export function lineChart(title: string, lines: readonly Line[], xLabel: string, yLabel: string): string {
  const W = 360;
  const H = 300;
  const m = { l: 48, r: 12, t: 28, b: 40 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const X = (x: number): number => m.l + x * pw;
  const Y = (y: number): number => m.t + (1 - y) * ph;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  let s = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`;
  s += `<text x="${W / 2}" y="16" text-anchor="middle" font-weight="600">${esc(title)}</text>`;
  for (const t of ticks) {
    s += `<line x1="${n(X(t))}" y1="${n(Y(0))}" x2="${n(X(t))}" y2="${n(Y(1))}" stroke="#eee"/><line x1="${n(X(0))}" y1="${n(Y(t))}" x2="${n(X(1))}" y2="${n(Y(t))}" stroke="#eee"/>`;
    s += `<text x="${n(X(t))}" y="${n(Y(0) + 14)}" text-anchor="middle" font-size="10">${t}</text><text x="${n(X(0) - 6)}" y="${n(Y(t) + 3)}" text-anchor="end" font-size="10">${t}</text>`;
  }
  s += `<line x1="${n(X(0))}" y1="${n(Y(0))}" x2="${n(X(1))}" y2="${n(Y(1))}" stroke="#999" stroke-dasharray="4 4"/>`;
  s += `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`;
  lines.forEach((l, i) => {
    s += `<polyline fill="none" stroke="${l.color}" stroke-width="2" points="${l.points.map(([x, y]) => `${n(X(x))},${n(Y(y))}`).join(" ")}"/>`;
    s += `<rect x="${n(X(0.55))}" y="${n(Y(0.2) + i * 16 - 8)}" width="10" height="10" fill="${l.color}"/><text x="${n(X(0.55) + 14)}" y="${n(Y(0.2) + i * 16 + 1)}" font-size="11">${esc(l.label)}</text>`;
  });
  s += `<text x="${m.l + pw / 2}" y="${H - 6}" text-anchor="middle" font-size="11">${esc(xLabel)}</text>`;
  s += `<text transform="translate(12 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(yLabel)}</text>`;
  return `${s}</svg>`;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly color: string;
}

/** Horizontal bars; optional reference lines (e.g. the 0.8–1.25 fairness band). */
export function barChart(title: string, bars: readonly Bar[], opts: { unit?: string; refs?: readonly number[]; max?: number } = {}): string {
  const W = 520;
  const rowH = 20;
  const m = { l: 190, r: 60, t: 28, b: 16 };
  const H = m.t + m.b + bars.length * rowH;
  const max = opts.max ?? Math.max(1e-9, ...bars.map((b) => (Number.isFinite(b.value) ? b.value : 0)), ...(opts.refs ?? []));
  const pw = W - m.l - m.r;
  const X = (v: number): number => m.l + (Math.max(0, v) / max) * pw;
  let s = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`;
  s += `<text x="${W / 2}" y="16" text-anchor="middle" font-weight="600">${esc(title)}</text>`;
  bars.forEach((b, i) => {
    const y = m.t + i * rowH;
    const v = Number.isFinite(b.value) ? b.value : 0;
    s += `<text x="${m.l - 6}" y="${y + 13}" text-anchor="end" font-size="11">${esc(b.label)}</text>`;
    s += `<rect x="${m.l}" y="${y + 3}" width="${n(X(v) - m.l)}" height="${rowH - 6}" fill="${b.color}"/>`;
    s += `<text x="${n(X(v) + 4)}" y="${y + 13}" font-size="10">${Number.isFinite(b.value) ? b.value.toFixed(2) : "—"}${esc(opts.unit ?? "")}</text>`;
  });
  for (const r of opts.refs ?? []) s += `<line x1="${n(X(r))}" y1="${m.t}" x2="${n(X(r))}" y2="${H - m.b}" stroke="#c00" stroke-dasharray="3 3"/>`;
  return `${s}</svg>`;
}
