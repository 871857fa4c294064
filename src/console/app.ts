/**
 * The console's wiring: sign-in check, the WebSocket with its own heartbeat, the reducer, the
 * views, the alarm sound and the hash router. Everything it touches is passed in; nothing runs
 * until `startConsole` is called (by ./main.ts, the bundle's entry).
 */
import type { ClientMessage, ServerMessage } from "../adapters/ws/messages.js";
import { renderQueue } from "./alarmQueue.js";
import { bucketsPath, getJson, type BucketsAnswer } from "./api.js";
import { BedTile, type TileContext } from "./bedTile.js";
import { bedRows, soundingPriority } from "./beds.js";
import { renderDetail } from "./detail.js";
import { AlarmSound } from "./sound.js";
import { initialState, reduce, TREND_STEP_MS, TREND_WINDOW_MS, type Action, type ConsoleState, type TrendPoint } from "./state.js";
import type { Vital } from "../core/model.js";

/** The console pings this often, and the gateway answers (as do its readings and alerts). */
export const CONSOLE_HEARTBEAT_MS = 5000;
/**
 * Silence this long means the link is lost: a pong may be up to 3 s late on a busy gateway, and
 * with the 500 ms check the banner is up within two heartbeats of the last message (issue 10).
 */
export const LINK_LOST_AFTER_MS = 8000;

export interface ConsoleDeps {
  readonly doc: Document;
  readonly location: Location;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly openSocket: (url: string) => WebSocket;
  readonly audioContext: () => AudioContext;
  readonly setInterval: (f: () => void, ms: number) => unknown;
  readonly setTimeout: (f: () => void, ms: number) => unknown;
}

export function startConsole(d: ConsoleDeps): void {
  const $ = (id: string) => d.doc.getElementById(id) as HTMLElement;
  let state: ConsoleState = initialState(d.now());
  let socket: WebSocket | undefined;
  let attempt = 0;
  let queueDrawnAt = 0;
  let drawn: ConsoleState | undefined;
  const tiles = new Map<string, BedTile>();
  const expandedBeds = new Set<string>();
  const sound = new AlarmSound(d.audioContext, (p) => ($("sound").dataset["signal"] = `${p}@${d.now()}`));

  const send = (m: ClientMessage) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(m));
  };
  const dispatch = (a: Action) => {
    state = reduce(state, a);
    render();
  };

  async function begin(): Promise<void> {
    const me = await d.fetch("/api/me", { credentials: "same-origin" });
    if (me.status === 401) return signedOut();
    $("login").hidden = true;
    $("app").hidden = false;
    connect();
  }

  function connect(): void {
    const ws = d.openSocket(`${d.location.protocol === "https:" ? "wss" : "ws"}://${d.location.host}/ws`);
    socket = ws;
    ws.onopen = () => {
      attempt = 0; // a good connection resets the backoff: the next loss retries at once
      dispatch({ type: "link", status: "live", at: d.now() });
    };
    ws.onmessage = (event: MessageEvent<string>) => onServer(JSON.parse(event.data) as ServerMessage);
    ws.onclose = () => lose(ws);
  }

  /** The socket closed, or went silent: show it at once, then find out why and reconnect. */
  function lose(ws: WebSocket): void {
    if (socket !== ws) return;
    socket = undefined;
    ws.onclose = null;
    ws.onmessage = null;
    ws.close();
    if (state.link !== "signed_out") dispatch({ type: "link", status: "lost", at: d.now() });
    void afterClose();
  }

  async function afterClose(): Promise<void> {
    // A refused upgrade (401: session ended or token revoked) looks like any other close to a
    // browser: ask. A gateway that is down does not answer at all: keep retrying.
    const me = await d.fetch("/api/me", { credentials: "same-origin" }).catch(() => undefined);
    if (me?.status === 401) return signedOut();
    d.setTimeout(connect, Math.min(10_000, 500 * 2 ** attempt++));
  }

  function onServer(m: ServerMessage): void {
    dispatch({ type: "server", message: m, at: d.now() });
    if (m.type === "snapshot") {
      for (const a of m.alerts) send({ type: "received", alertId: a.id });
      for (const p of m.patients) void loadTrend(p.id);
    }
    if (m.type === "alert") {
      send({ type: "received", alertId: m.alert.id });
      if (m.announce && state.soundOn && m.alert.state === "active") sound.announce(m.alert.priority);
    }
  }

  async function loadTrend(patientId: string): Promise<void> {
    const now = d.now();
    const answer = await getJson<BucketsAnswer>(d.fetch, bucketsPath(patientId, now - TREND_WINDOW_MS, now, TREND_STEP_MS)).catch(() => undefined);
    if (!answer) return; // sparklines fill from live readings instead
    const trend: Partial<Record<Vital, TrendPoint[]>> = {};
    for (const b of answer.buckets) (trend[b.vital] ??= []).push({ t: b.t, v: b.avg });
    dispatch({ type: "trend", patientId, trend });
  }

  function signedOut(): void {
    const ws = socket;
    socket = undefined;
    ws?.close();
    state = reduce(state, { type: "link", status: "signed_out", at: d.now() });
    $("app").hidden = true;
    $("login").hidden = false;
    render();
  }

  function render(): void {
    const s = state;
    const lost = s.link === "lost";
    d.doc.body.dataset["link"] = s.link;
    $("status").dataset["state"] = s.link === "live" ? "live" : "offline";
    $("status").textContent = { connecting: "connecting…", live: "live", lost: "connection lost — reconnecting", signed_out: "signed out" }[s.link];
    $("link-banner").hidden = !lost;
    ($("app") as HTMLElement & { inert: boolean }).inert = lost;
    if (s.user) $("user").textContent = `${s.user.name} (${s.user.role})`;
    const soundButton = $("sound");
    soundButton.textContent = s.soundOn ? "Sound on" : "Sound off — click to enable";
    soundButton.setAttribute("aria-pressed", String(s.soundOn));
    $("error").textContent = s.lastError ?? "";
    const rows = bedRows(s);
    sound.sync(s.soundOn && !lost ? soundingPriority(s) : undefined);
    if (!drawn || drawn.alerts !== s.alerts || drawn.acks !== s.acks || drawn.user?.role !== s.user?.role || s.now - queueDrawnAt >= 15_000) {
      queueDrawnAt = s.now;
      const modelDown = Object.values(s.alerts).some((a) => a.cause === "technical:model_unavailable");
      renderQueue(d.doc, $("alerts"), rows, { now: s.now, role: s.user?.role, acks: s.acks, modelDown, send }, expandedBeds);
      $("no-alerts").hidden = rows.some((r) => r.alerts.length > 0);
    }
    const ctx: TileContext = { now: s.now, role: s.user?.role, send, open: (id) => d.location.assign(`#/patient/${encodeURIComponent(id)}`) };
    const board = $("patients");
    const wanted = rows.filter((r) => s.patients[r.patientId]);
    wanted.forEach((r, i) => {
      const p = s.patients[r.patientId];
      if (!p) return;
      let tile = tiles.get(p.id);
      if (!tile || drawn?.user?.role !== s.user?.role) tiles.set(p.id, (tile = new BedTile(d.doc, p, ctx)));
      tile.update(p, r, ctx);
      if (board.children[i] !== tile.root) board.insertBefore(tile.root, board.children[i] ?? null);
    });
    while (board.children.length > wanted.length) board.lastElementChild?.remove();
    drawn = s;
  }

  async function route(): Promise<void> {
    const m = /^#\/patient\/(.+)$/.exec(d.location.hash);
    const id = m?.[1] === undefined ? undefined : decodeURIComponent(m[1]);
    $("board").hidden = id !== undefined;
    $("detail").hidden = id === undefined;
    if (id === undefined) return;
    await renderDetail(d.doc, $("detail"), id, state.patients[id]?.label ?? id, d.now(), d.fetch).catch((e: unknown) => {
      $("detail").textContent = `Could not load the history: ${e instanceof Error ? e.message : String(e)}`;
    });
  }

  $("sound").addEventListener("click", () => {
    if (state.soundOn) {
      sound.disable();
      return dispatch({ type: "sound", on: false });
    }
    sound.enable().then(
      () => dispatch({ type: "sound", on: true }),
      () => dispatch({ type: "sound", on: false }),
    );
  });
  d.doc.defaultView?.addEventListener("hashchange", () => void route());
  d.setInterval(() => send({ type: "ping" }), CONSOLE_HEARTBEAT_MS);
  d.setInterval(() => {
    dispatch({ type: "tick", now: d.now() });
    // No message (not even a pong) for two heartbeats: the link is gone even if TCP has not noticed.
    if (state.link === "live" && socket && d.now() - state.lastHeard > LINK_LOST_AFTER_MS) lose(socket);
  }, 500);
  void route();
  begin().catch((e: unknown) => {
    $("status").dataset["state"] = "offline";
    $("status").textContent = `error: ${e instanceof Error ? e.message : String(e)}`;
  });
}
