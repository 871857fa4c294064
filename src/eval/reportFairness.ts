/** HTML fairness section of the eval report: ratio table with CIs (outside 0.8–1.25 highlighted and named) and calibration per group. */
import type { RatioWithCi } from "./fairness.js";
import type { FairnessReport } from "./fairnessReport.js";
import { inRatioBand } from "./fairness.js";
import { RATIO_BAND } from "./subgroups.js";
import { esc } from "./svg.js";

const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : "—");
const cell = (r: RatioWithCi): string => `<td${Number.isFinite(r.value) && !inRatioBand(r.value) ? ' class="miss"' : ""}>${f(r.value)} (${f(r.ci95[0])}–${f(r.ci95[1])})</td>`;

export function renderFairness(fr: FairnessReport): string {
  const detectors = Object.keys(fr.rows[0]?.detectors ?? {});
  const head = detectors.map((d) => `<th>${esc(d)} sensitivity</th><th>ratio (95 % CI)</th><th>${esc(d)} false alerts / survivor-day</th><th>ratio (95 % CI)</th>`).join("");
  const rows = fr.rows
    .map((r) => `<tr${r.outside.length ? ' class="flag"' : ""}><td>${esc(r.attribute)}=${esc(r.group)}</td><td>${r.stays}</td><td>${r.deaths}</td>${detectors
      .map((d) => {
        const x = r.detectors[d]!;
        return `<td>${f(x.sensitivity, 3)}</td>${cell(x.sensitivityRatio)}<td>${f(x.falseAlertsPerPatientDay)}</td>${cell(x.falseAlertRatio)}`;
      })
      .join("")}</tr>`)
    .join("");
  const cal = fr.calibration
    .map((c) => `<tr><td>${esc(c.attribute)}=${esc(c.group)}</td><td>${c.bins === 10 ? "deciles" : "quintiles"}</td><td>${c.observed}</td><td>${f(c.expected, 1)}</td><td>${f(c.oeRatio)}</td><td>${c.table.map((b) => `${b.observed} / ${f(b.expected, 1)}`).join(" · ")}</td></tr>`)
    .join("");
  return `<h2>Fairness per sex and age band</h2>
<p>For the deployed advisory and for NEWS2 ≥ 5: sensitivity ratio = deaths caught in the group / deaths caught overall; false-alert ratio = alerts on survivors per survivor patient-day, group / overall (alerts on patients who died are not false). 95 % stay-bootstrap intervals (500 resamples, fixed seed). ICU type is a clinical breakdown below, not a fairness criterion: a risk model should alert less on a lower-risk ward.</p>
<table><tr><th>group</th><th>stays</th><th>deaths</th>${head}</tr>${rows}</table>
<p>${fr.outside.length ? `<b>Outside ${RATIO_BAND[0]}–${RATIO_BAND[1]}:</b> ${fr.outside.map(esc).join("; ")}` : `Every ratio within ${RATIO_BAND[0]}–${RATIO_BAND[1]}.`}</p>
<h3>Calibration within each group</h3>
<p>Observed vs predicted in-hospital deaths; a stay's predicted risk is the mean of its hourly model scores (each hourly window is trained on the stay's outcome). Bins are risk deciles, or quintiles in groups with fewer than 50 deaths. O/E &gt; 1: the model understates that group's risk.</p>
<table><tr><th>group</th><th>bins</th><th>observed</th><th>predicted</th><th>O/E</th><th>observed / predicted by bin, low to high risk</th></tr>${cal}</table>
<p>${fr.calibrationOutside.length ? `<b>O/E outside ${RATIO_BAND[0]}–${RATIO_BAND[1]}:</b> ${fr.calibrationOutside.map(esc).join("; ")}` : `Every group's O/E within ${RATIO_BAND[0]}–${RATIO_BAND[1]}.`}</p>
`;
}
