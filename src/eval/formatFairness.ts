/** Plain-text fairness section of the eval report: ratios with CIs, what leaves the band, calibration. */
import type { FairnessReport } from "./fairnessReport.js";
import { RATIO_BAND } from "./subgroups.js";
import type { RatioWithCi } from "./fairness.js";

const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : "—");
const ratio = (r: RatioWithCi): string => `${f(r.value)} [${f(r.ci95[0])}–${f(r.ci95[1])}]`.padStart(17);

export function formatFairness(fr: FairnessReport): string {
  const detectors = Object.keys(fr.rows[0]?.detectors ?? {});
  let s = `\nfairness per sex and age band (ratio = group / all, 95% stay-bootstrap CI; false alerts = alerts on survivors per survivor patient-day)\n`;
  s += `  ${"group".padEnd(14)} ${"stays".padStart(5)} ${"deaths".padStart(6)}`;
  for (const d of detectors) s += `  ${`${d} sens ratio`.padStart(17)} ${`false-alert ratio`.padStart(17)}`;
  s += "\n";
  for (const r of fr.rows) {
    s += `  ${`${r.attribute}=${r.group}`.padEnd(14)} ${String(r.stays).padStart(5)} ${String(r.deaths).padStart(6)}`;
    for (const d of detectors) s += `  ${ratio(r.detectors[d]!.sensitivityRatio)} ${ratio(r.detectors[d]!.falseAlertRatio)}`;
    s += r.outside.length ? "  ⚑\n" : "\n";
  }
  s += fr.outside.length ? `  outside ${RATIO_BAND[0]}–${RATIO_BAND[1]}: ${fr.outside.join("; ")}\n` : `  every ratio within ${RATIO_BAND[0]}–${RATIO_BAND[1]}\n`;
  s += `\nmodel calibration within each group (observed / predicted deaths; predicted = mean hourly risk of the stay)\n`;
  for (const c of fr.calibration) {
    const bins = c.table.map((b) => `${b.observed}/${f(b.expected, 1)}`).join(" ");
    s += `  ${`${c.attribute}=${c.group}`.padEnd(14)} O/E ${f(c.oeRatio)} (${c.observed}/${f(c.expected, 1)}); by risk ${c.bins === 10 ? "decile" : "quintile"}: ${bins}\n`;
  }
  s += fr.calibrationOutside.length ? `  calibration outside ${RATIO_BAND[0]}–${RATIO_BAND[1]}: ${fr.calibrationOutside.join("; ")}\n` : `  every group's O/E within ${RATIO_BAND[0]}–${RATIO_BAND[1]}\n`;
  return s;
}
