// The nurse console: plain modules, no build step, no third-party code (CSP: 'self' only).
// Live data arrives only over the authenticated WebSocket; the page itself holds none.

const VITAL_LABELS = {
  heart_rate: "Heart rate", pulse_rate: "Pulse", respiratory_rate: "Resp. rate", spo2: "SpO₂",
  systolic_bp: "Systolic BP", diastolic_bp: "Diastolic BP", mean_arterial_pressure: "MAP", body_temperature: "Temperature",
};
const $ = (id) => document.getElementById(id);
const state = { patients: new Map(), alerts: new Map(), socket: undefined, role: undefined };

async function start() {
  const me = await fetch("/api/me", { credentials: "same-origin" });
  if (me.status === 401) return signedOut();
  const { user, role } = await me.json();
  state.role = role;
  $("user").textContent = `${user} (${role})`;
  $("app").hidden = false;
  connect(0);
}

function connect(attempt) {
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`);
  state.socket = ws;
  ws.onopen = () => {
    attempt = 0; // a good connection resets the backoff: the next loss retries at once
    setStatus("live", "live");
  };
  ws.onmessage = (event) => onMessage(JSON.parse(event.data));
  ws.onclose = async () => {
    setStatus("offline", "connection lost — reconnecting");
    // A refused upgrade (401) looks like any other close to a browser. Sessions live in the
    // gateway's memory, so after a restart every console would retry forever: ask, and sign out.
    const me = await fetch("/api/me", { credentials: "same-origin" }).catch(() => undefined);
    if (me?.status === 401) return signedOut();
    setTimeout(() => connect(attempt + 1), Math.min(10_000, 500 * 2 ** attempt));
  };
}

function signedOut() {
  $("app").hidden = true;
  $("login").hidden = false;
  setStatus("offline", "signed out");
}

function onMessage(msg) {
  switch (msg.type) {
    case "snapshot":
      state.patients = new Map(msg.patients.map((p) => [p.id, { ...p, latest: new Map(p.latest.map((r) => [r.vital, r])) }]));
      state.alerts = new Map(msg.alerts.map((a) => [a.id, a]));
      for (const a of msg.alerts) receipt(a);
      return render();
    case "reading": {
      const p = state.patients.get(msg.reading.patientId);
      if (p) p.latest.set(msg.reading.vital, msg.reading);
      return renderPatients();
    }
    case "alert":
      if (msg.alert.state === "resolved") state.alerts.delete(msg.alert.id);
      else state.alerts.set(msg.alert.id, msg.alert);
      receipt(msg.alert);
      if (msg.announce) announce(msg.alert);
      return renderAlerts();
    case "error":
      console.warn(`gateway refused a message: ${msg.message}`);
      return;
    default:
      return;
  }
}

function receipt(alert) {
  state.socket?.send(JSON.stringify({ type: "received", alertId: alert.id }));
}

function send(message) {
  state.socket?.send(JSON.stringify(message));
}

// An audible cue for new, worsened, re-announced or escalated alerts (browsers allow sound only after a click on the page).
function announce(alert) {
  try {
    const ctx = (state.audio ??= new AudioContext());
    const osc = ctx.createOscillator();
    osc.frequency.value = alert.priority === "high" ? 880 : 660;
    osc.connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + (alert.priority === "high" ? 0.6 : 0.25));
  } catch {
    // no audio device: the visual alert stands
  }
}

function render() {
  renderAlerts();
  renderPatients();
}

function renderAlerts() {
  const list = $("alerts");
  const alerts = [...state.alerts.values()].sort((a, b) => rank(a) - rank(b) || b.raisedAt - a.raisedAt);
  $("no-alerts").hidden = alerts.length > 0;
  list.replaceChildren(
    ...alerts.map((a) => {
      const li = el("li", { class: "alert", "data-priority": a.priority, "data-state": a.state, "data-kind": a.kind, "data-cause": a.cause, "data-alert-id": a.id });
      const what = el("div", { class: "what" });
      what.append(el("strong", {}, `${a.priority.toUpperCase()} · ${labelOf(a.patientId)}`), el("div", {}, a.message));
      what.append(el("div", { class: "meta" }, metaOf(a)));
      li.append(what);
      if (a.state !== "acknowledged" && state.role !== "viewer") {
        li.append(button("Acknowledge", () => send({ type: "ack", alertId: a.id })));
        if (a.state === "active") li.append(button("Pause audio", () => send({ type: "pause", alertId: a.id, kind: "audio_pause" })));
      }
      return li;
    }),
  );
}

function metaOf(a) {
  const parts = [a.kind, a.state.replace("_", " "), new Date(a.raisedAt).toLocaleTimeString()];
  if (a.until) parts.push(`until ${new Date(a.until).toLocaleTimeString()}`);
  if (a.escalation) parts.push(`escalated (level ${a.escalation})`);
  if (a.modelScore !== undefined) parts.push(`model risk ${a.modelScore.toFixed(2)}`);
  // "unavailable" also covers a patient the model has not scored yet; only a technical alarm means it is down.
  const modelDown = [...state.alerts.values()].some((x) => x.cause === "technical:model_unavailable");
  if (a.modelStatus === "unavailable") parts.push(modelDown ? "model unavailable" : "no model score yet");
  return parts.join(" · ");
}

function button(label, onClick) {
  const b = el("button", { type: "button" }, label);
  b.addEventListener("click", onClick);
  return b;
}

// NEWS2 needs consciousness (ACVPU) and oxygen from a nurse; unknown stays unknown, never "Alert".
function clinicalInputs(p) {
  const box = el("div", { class: "inputs" });
  const acvpu = el("select", { "aria-label": `Consciousness (ACVPU) of ${p.label}` });
  for (const [value, text] of [["", "ACVPU…"], ["A", "A alert"], ["C", "C new confusion"], ["V", "V voice"], ["P", "P pain"], ["U", "U unresponsive"]]) {
    acvpu.append(el("option", { value }, text));
  }
  acvpu.addEventListener("change", () => acvpu.value && send({ type: "clinical", patientId: p.id, input: { type: "acvpu", value: acvpu.value } }));
  const oxygen = el("input", { type: "checkbox", "aria-label": `${p.label} on oxygen` });
  oxygen.addEventListener("change", () => send({ type: "clinical", patientId: p.id, input: { type: "oxygen", onOxygen: oxygen.checked } }));
  const label = el("label", {}, " on O₂");
  label.prepend(oxygen);
  box.append(acvpu, label);
  return box;
}

function renderPatients() {
  $("patients").replaceChildren(
    ...[...state.patients.values()].map((p) => {
      const card = el("article", { class: "patient", "data-patient-id": p.id });
      const dl = el("dl");
      for (const [vital, label] of Object.entries(VITAL_LABELS)) {
        const r = p.latest.get(vital);
        if (!r) continue;
        dl.append(el("dt", {}, label), el("dd", { "data-vital": vital }, `${round(r.value)} ${unitLabel(r.unit)}`));
      }
      card.append(el("h3", {}, p.label), dl);
      if (state.role !== "viewer") card.append(clinicalInputs(p));
      return card;
    }),
  );
}

const rank = (a) => ({ high: 0, medium: 1, low: 2 })[a.priority] * 10 + (a.state === "active" ? 0 : 1);
const UNIT_LABELS = { Cel: "°C", "[degF]": "°F", "mm[Hg]": "mmHg", "[lb_av]": "lb", "{steps}": "steps" };
const unitLabel = (u) => UNIT_LABELS[u] ?? u;
const round = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const labelOf = (id) => state.patients.get(id)?.label ?? (id === "_gateway" ? "Gateway" : id);

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function setStatus(kind, text) {
  $("status").dataset.state = kind;
  $("status").textContent = text;
}

start().catch((e) => setStatus("offline", `error: ${e.message}`));
