/**
 * Self-contained HTML report of an eval run: tables plus inline SVG plots (ROC, alerts per
 * patient-day, subgroup ratios). No script, no stylesheet link, no CDN: it opens offline.
 */
import type { EvalReport, OperatingPoint } from "./evaluate.js";
import { RATIO_BAND } from "./subgroups.js";
import { barChart, esc, lineChart, type Bar } from "./svg.js";
import { renderFairness } from "./reportFairness.js";

const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : "—");
const NEWS_COLOR = "#d9822b";
const GW_COLOR = "#2b6cb0";

function pointRow(p: OperatingPoint | null, label?: string): string {
  if (!p) return `<tr><td>${esc(label ?? "")}</td><td colspan="7">not reachable</td></tr>`;
  return `<tr><td>${esc(label ?? p.name)}</td><td>${f(p.sensitivity)}</td><td>${f(p.specificity)}</td><td>${f(p.ppv)}</td><td>${f(p.alertsPerPatientDay, 2)}</td><td>${f(p.timeInAlert * 100, 0)} %</td><td>${f(p.medianFirstAlertHours, 0)}</td><td>${f(p.medianLeadHours, 0)}</td></tr>`;
}

export function renderHtml(r: EvalReport): string {
  const points: Bar[] = [
    ...r.operatingPoints.map((p, i) => ({ label: p.name, value: p.alertsPerPatientDay, color: i < 2 ? NEWS_COLOR : GW_COLOR })),
    ...(r.matched.atNews2Sensitivity ? [{ label: "gateway @ NEWS2≥5 sensitivity", value: r.matched.atNews2Sensitivity.alertsPerPatientDay, color: GW_COLOR }] : []),
  ];
  const sub = (k: "alertRateRatio" | "sensitivityRatio"): Bar[] =>
    r.subgroups.map((g) => {
      const v = g.gateway[k];
      const out = Number.isFinite(v) && (v < RATIO_BAND[0] || v > RATIO_BAND[1]);
      return { label: `${g.attribute}=${g.group} (n=${g.stays})`, value: v, color: out ? "#c53030" : GW_COLOR };
    });
  const subRows = r.subgroups
    .map(
      (g) =>
        `<tr${g.flags.length ? ' class="flag"' : ""}><td>${esc(g.attribute)}</td><td>${esc(g.group)}</td><td>${g.stays}</td><td>${g.deaths}</td><td>${f(g.dataCompleteness * 100, 0)} %</td><td>${f(g.news2.sensitivity)}</td><td>${f(g.news2.sensitivityRatio, 2)}</td><td>${f(g.news2.alertsPerPatientDay, 2)}</td><td>${f(g.news2.alertRateRatio, 2)}</td><td>${f(g.gateway.sensitivity)}</td><td>${f(g.gateway.sensitivityRatio, 2)}</td><td>${f(g.gateway.alertsPerPatientDay, 2)}</td><td>${f(g.gateway.alertRateRatio, 2)}</td><td>${f(g.gateway.ppv)}</td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vitals-gateway eval — NEWS2 vs gateway</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1a202c}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #cbd5e0;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}tr.flag td{background:#fff5f5}.met{color:#276749}.miss{color:#c53030;font-weight:600}
figure{display:inline-block;margin:0 1em 1em 0;vertical-align:top}svg{font-family:system-ui,sans-serif}
</style></head><body>
<h1>NEWS2 alone vs gateway (rules + model)</h1>
<p>${r.data.stays} ICU stays (${r.data.heldOutOnly ? "held-out split only: the model never trained on them" : "<b>all stays, including the model's training data</b>"}), ${r.data.deaths} in-hospital deaths, ${f(r.data.patientDays, 0)} patient-days, first ${r.data.hours} h replayed hourly in virtual time.
Model ${esc(r.model.name)} ${esc(r.model.version)}, training data sha256 <code>${esc(r.model.trainingDataHash.slice(0, 16))}…</code>, advisory threshold ${r.model.threshold}${r.model.unavailableTicks ? `; <b>model unavailable on ${r.model.unavailableTicks} ticks</b>` : ""}.</p>
<h2>Goals</h2><ul>${r.goals.map((g) => `<li class="${g.met ? "met" : "miss"}">${g.met ? "met" : "NOT met"} — ${esc(g.goal)}: ${esc(g.value)} (target ${esc(g.target)})</li>`).join("")}</ul>
<h2>Discrimination</h2>
<p>AUROC for in-hospital death from the per-stay maximum score: NEWS2 <b>${f(r.auroc.news2)}</b> (95 % CI ${f(r.auroc.ci95.a[0])}–${f(r.auroc.ci95.a[1])}), gateway <b>${f(r.auroc.gateway)}</b> (${f(r.auroc.ci95.b[0])}–${f(r.auroc.ci95.b[1])}); difference 95 % CI ${f(r.auroc.ci95.diff[0])} to ${f(r.auroc.ci95.diff[1])} (paired stay bootstrap, 500 resamples).</p>
<figure>${lineChart("ROC, per-stay maximum", [
    { label: `NEWS2 (${f(r.auroc.news2)})`, color: NEWS_COLOR, points: r.roc.news2 },
    { label: `gateway (${f(r.auroc.gateway)})`, color: GW_COLOR, points: r.roc.gateway },
  ], "1 − specificity", "sensitivity")}</figure>
<figure>${barChart("Alerts per patient-day", points)}</figure>
<h2>Operating points</h2>
<p>An alert is a rising edge into the alert condition, re-announced every 4 h while it persists; sensitivity = deaths with ≥ 1 alert; lead = hours from first alert to death (death time known to the day).</p>
<table><tr><th>detector</th><th>sensitivity</th><th>specificity</th><th>PPV (stay)</th><th>alerts / patient-day</th><th>time in alert</th><th>first alert h (deaths, median)</th><th>lead h (median)</th></tr>
${r.operatingPoints.map((p) => pointRow(p)).join("")}
${pointRow(r.matched.atNews2Volume, "gateway at NEWS2≥5 alert volume")}
${pointRow(r.matched.atNews2Sensitivity, `gateway at NEWS2≥5 sensitivity (${f(r.matched.volumeRatioAtEqualSensitivity, 2)}× volume, 95 % CI ${f(r.matched.volumeRatioCi95[0], 2)}–${f(r.matched.volumeRatioCi95[1], 2)}×)`)}
</table>
<h2>Alert burden a nurse would see</h2>
<p>Advisory budget ${r.advisory.budget}/patient-day → risk ≥ ${r.advisory.threshold}${r.advisory.note ? ` (${esc(r.advisory.note)})` : ""}. NEWS2 rule alarms <b>${f(r.burden.rulesPerPatientDay, 2)}</b> + model advisories <b>${f(r.burden.advisoriesPerPatientDay, 2)}</b> = <b>${f(r.burden.totalPerPatientDay, 2)}</b> per patient-day (per-vital threshold alarms not counted). Deaths detected: rules ${r.burden.deathsDetected.rules}, advisories ${r.burden.deathsDetected.advisories}, either ${r.burden.deathsDetected.either} of ${r.burden.deaths}. Work-ups per detected death: rules ${f(r.burden.workUpsPerDetectedDeath.rules, 1)}, advisories ${f(r.burden.workUpsPerDetectedDeath.advisories, 1)}, all alerts ${f(r.burden.workUpsPerDetectedDeath.total, 1)}.</p>
<h2>Cross-channel quality gates</h2>
<ul>${r.gates
    .map((g) =>
      g.measurable
        ? `<li>${esc(g.gate)}: ${g.readingsFlagged} of ${g.readingsChecked} paired readings flagged; NEWS2 rule alarms ${g.ruleAlarmsUngated}, removed ${g.ruleAlarmsRemoved}, added ${g.ruleAlarmsAdded}; deaths alarmed later ${g.deathsDelayed}, no longer alarmed ${g.deathsMissed}</li>`
        : `<li>${esc(g.gate)}: <i>not measurable on this data</i> — ${esc(g.reason)}</li>`,
    )
    .join("")}</ul>
${renderFairness(r.fairness)}<h2>Clinical breakdown by subgroup</h2>
<p>ICU type here is a clinical breakdown, not a fairness criterion. Ratios are group / whole cohort; gateway ratios outside ${RATIO_BAND[0]}–${RATIO_BAND[1]} are highlighted. Demographics are used only here, never as model inputs. Sensitivity in small groups rests on few deaths.</p>
<table><tr><th>attribute</th><th>group</th><th>stays</th><th>deaths</th><th>data complete</th><th>NEWS2 sens</th><th>ratio</th><th>NEWS2 alerts/pd</th><th>ratio</th><th>gateway sens</th><th>ratio</th><th>gateway alerts/pd</th><th>ratio</th><th>gateway PPV</th></tr>${subRows}</table>
<figure>${barChart("Gateway alert-rate ratio by subgroup", sub("alertRateRatio"), { refs: [...RATIO_BAND], max: 1.6 })}</figure>
<figure>${barChart("Gateway sensitivity ratio by subgroup", sub("sensitivityRatio"), { refs: [...RATIO_BAND], max: 1.6 })}</figure>
<h2>Data</h2>
<p>PhysioNet/Computing in Cardiology Challenge 2012 (Silva I, Moody G, Scott DJ, Celi LA, Mark RG. Predicting in-hospital mortality of ICU patients. Computing in Cardiology 2012;39:245–248), from MIMIC-II; PhysioNet (Goldberger et al., Circulation 2000). ODC-By 1.0. SaO2 stands in for SpO2, FiO2 &gt; 0.21 for oxygen, GCS &lt; 15 for "not Alert".</p>
</body></html>
`;
}
