/** Plain-text rendering of an EvalReport for the terminal. */
import type { EvalReport, OperatingPoint } from "./evaluate.js";
import { formatFairness } from "./formatFairness.js";

const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : "—");

function point(p: OperatingPoint | null): string {
  if (!p) return "  (not reachable)\n";
  return `  ${p.name.padEnd(34)} sens ${f(p.sensitivity)}  spec ${f(p.specificity)}  alerts/pt-day ${f(p.alertsPerPatientDay, 2)}  PPV ${f(p.ppv)}  in alert ${f(p.timeInAlert * 100, 0)}%  first alert (deaths) h ${f(p.medianFirstAlertHours, 0)}  lead ${f(p.medianLeadHours, 0)} h\n`;
}

export function formatText(r: EvalReport): string {
  let s = `${r.data.stays} stays (${r.data.heldOutOnly ? "held-out split only" : "ALL stays, including training"}), ${r.data.deaths} deaths, ${f(r.data.patientDays, 0)} patient-days, first ${r.data.hours} h\n`;
  s += `model ${r.model.name} ${r.model.version} (data ${r.model.trainingDataHash.slice(0, 12)}), threshold ${r.model.threshold}${r.model.unavailableTicks ? `, UNAVAILABLE on ${r.model.unavailableTicks} ticks` : ""}\n\n`;
  const ci = (c: readonly [number, number]): string => `[${f(c[0])}, ${f(c[1])}]`;
  s += `AUROC in-hospital death (per-stay max):  NEWS2 ${f(r.auroc.news2)}   gateway ${f(r.auroc.gateway)}\n`;
  s += `  95% bootstrap CI: NEWS2 ${ci(r.auroc.ci95.a)}, gateway ${ci(r.auroc.ci95.b)}, difference ${ci(r.auroc.ci95.diff)}\n\noperating points\n`;
  for (const p of r.operatingPoints) s += point(p);
  s += `\nmatched to NEWS2 ≥ 5\n  at equal alert volume:\n${point(r.matched.atNews2Volume)}  at equal sensitivity (volume ${f(r.matched.volumeRatioAtEqualSensitivity, 2)}× NEWS2 ≥ 5, 95% CI ${f(r.matched.volumeRatioCi95[0], 2)}–${f(r.matched.volumeRatioCi95[1], 2)}×):\n${point(r.matched.atNews2Sensitivity)}`;
  s += formatFairness(r.fairness);
  s += `\nclinical breakdown (gateway at its threshold; ratio = group / all; ICU type is not a fairness criterion)\n`;
  s += `  ${"group".padEnd(26)} ${"stays".padStart(5)} ${"deaths".padStart(6)}  ${"NEWS2 sens".padStart(10)} ${"rate".padStart(6)}  ${"gw sens".padStart(7)} ${"ratio".padStart(5)} ${"rate".padStart(6)} ${"ratio".padStart(5)} ${"data".padStart(5)}\n`;
  for (const g of r.subgroups) {
    s += `  ${`${g.attribute}=${g.group}`.padEnd(26)} ${String(g.stays).padStart(5)} ${String(g.deaths).padStart(6)}  ${f(g.news2.sensitivity).padStart(10)} ${f(g.news2.alertsPerPatientDay, 2).padStart(6)}  ${f(g.gateway.sensitivity).padStart(7)} ${f(g.gateway.sensitivityRatio, 2).padStart(5)} ${f(g.gateway.alertsPerPatientDay, 2).padStart(6)} ${f(g.gateway.alertRateRatio, 2).padStart(5)} ${`${f(g.dataCompleteness * 100, 0)}%`.padStart(5)}${g.flags.length ? "  ⚑" : ""}\n`;
  }
  const b = r.burden;
  s += `\nalert burden a nurse would see (advisory budget ${r.advisory.budget}/patient-day → risk ≥ ${r.advisory.threshold}${r.advisory.note ? `; ${r.advisory.note}` : ""})\n`;
  s += `  NEWS2 rule alarms ${f(b.rulesPerPatientDay, 2)} + model advisories ${f(b.advisoriesPerPatientDay, 2)} = ${f(b.totalPerPatientDay, 2)} per patient-day (per-vital threshold alarms not counted)\n`;
  s += `  deaths detected: rules ${b.deathsDetected.rules}, advisories ${b.deathsDetected.advisories}, either ${b.deathsDetected.either} of ${b.deaths}\n`;
  s += `  work-ups per detected death: rules ${f(b.workUpsPerDetectedDeath.rules, 1)}, advisories ${f(b.workUpsPerDetectedDeath.advisories, 1)}, all alerts ${f(b.workUpsPerDetectedDeath.total, 1)}\n`;
  s += `\ncross-channel quality gates (NEWS2 rule alarms with and without each gate)\n`;
  for (const g of r.gates) {
    if (!g.measurable) s += `  ${g.gate.padEnd(20)} not measurable on this data: ${g.reason}\n`;
    else {
      const faults = Object.entries(g.byFault).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ");
      s += `  ${g.gate.padEnd(20)} ${g.readingsFlagged} of ${g.readingsChecked} paired readings flagged${faults ? ` (${faults})` : ""}; rule alarms ${g.ruleAlarmsUngated} → removed ${g.ruleAlarmsRemoved}, added ${g.ruleAlarmsAdded} (${g.staysChanged} stays changed); deaths whose first alarm came later ${g.deathsDelayed} (longest ${f(g.maxDelayHours, 0)} h), no longer alarmed ${g.deathsMissed}\n`;
    }
  }
  s += `\ngoals\n`;
  for (const g of r.goals) s += `  [${g.met ? "met" : "NOT MET"}] ${g.goal}: ${g.value} (target ${g.target})\n`;
  return s;
}
