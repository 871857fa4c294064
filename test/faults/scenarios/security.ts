/**
 * Security under attack (issue 9 items 5, 6, 7, 9): a revoked token's and an expired session's
 * open sockets are closed within 1 s; a viewer does not count as a nurse console; both audit
 * tamperings are detected by `audit verify`; a foreign Host header is refused; /login throttles.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../helpers/mosquitto.js";
import { startBroker } from "../lib/broker.js";
import { createToken, runCli } from "../lib/cli.js";
import { patientOf, triggerDevice, writeConfig } from "../lib/config.js";
import { Console, isResolved } from "../lib/console.js";
import { startGatewayChild, type GatewayChild } from "../lib/gatewayChild.js";
import { onCleanup } from "../lib/owned.js";
import { connectPublisher, heartRateFrame } from "../lib/publisher.js";
import { rawHttp } from "../lib/rawHttp.js";
import { copyAlarms, reactivateAcknowledged, truncateAudit } from "../lib/tamper.js";
import { pollFor, sleep } from "../lib/wait.js";
import type { SuiteOptions } from "../options.js";
import { atMost, check, type ScenarioResult } from "../report.js";

const IDLE_MINUTES = 1; // the smallest the config allows: the expiry check waits this long
const NO_NURSE = (cause: string) => cause.includes("no_nurse_client");

export async function security(o: SuiteOptions): Promise<ScenarioResult> {
  const broker = await startBroker();
  const releaseBroker = onCleanup(() => broker.stop());
  const dataDir = mkdtempSync(join(tmpdir(), "vg-faults-sec-"));
  const httpPort = await freePort();
  // Technical holds of 0: these checks are about who may clear what, not about timing.
  const configFile = writeConfig({ dataDir, httpPort, mqttUrl: broker.url, patients: 1, technicalMs: { raise: 0, clear: 0 }, extra: `auth: { sessionIdleMinutes: ${IDLE_MINUTES} }` });
  const [viewerToken, nurseToken, sessionToken, revokee] = [
    await createToken(o.bin, dataDir, "viewer", "fault-suite viewer"),
    await createToken(o.bin, dataDir, "nurse", "fault-suite nurse"),
    await createToken(o.bin, dataDir, "nurse", "fault-suite session"),
    await createToken(o.bin, dataDir, "nurse", "fault-suite revokee"),
  ];
  let gateway: GatewayChild | undefined;
  const trigger = await connectPublisher(broker.url);
  try {
    gateway = await startGatewayChild({ bin: o.bin, configFile, httpPort });
    const url = gateway.url;
    const bearer = (t: { token: string }) => ({ authorization: `Bearer ${t.token}` });

    // A session opened by the login form, left idle: its socket must close when the session expires.
    const login = await fetch(`${url}login`, { method: "POST", body: `token=${sessionToken.token}`, headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const idle = await Console.open(url, { cookie });
    const idleSince = Date.now();

    // Only a viewer watching: "no nurse console connected" must stay raised.
    const viewer = await Console.open(url, bearer(viewerToken));
    await sleep(3000);
    const viewerSnapshot = (await viewer.snapshot()) ?? [];
    const clearedByViewer = viewer.alerts().some((x) => NO_NURSE(x.alert.cause) && isResolved(x.alert, x.event)) || !viewerSnapshot.some((a) => NO_NURSE(a.cause));
    // …and a nurse does clear it (the control: the check above could have seen a clearing).
    const nurseAt = Date.now();
    const nurse = await Console.open(url, bearer(nurseToken));
    const clearedByNurse = await viewer.waitAlert((a, e) => NO_NURSE(a.cause) && isResolved(a, e), nurseAt, 10_000);

    // An acknowledged alert, for the tampering check below.
    const since = Date.now();
    await trigger.publishAsync(`vitals/${triggerDevice(0)}/gatt/2a37`, heartRateFrame(150), { qos: 1 });
    const raised = await nurse.waitAlert((a) => a.patientId === patientOf(0) && a.kind === "physiological", since, 20_000);
    if (raised) nurse.send({ type: "ack", alertId: raised.alert.id });
    const acknowledged = raised ? await nurse.waitAlert((a) => a.id === raised.alert.id && a.state === "acknowledged", since, 10_000) : undefined;

    // Revocation: the open socket closes within a second of `token revoke`.
    const victim = await Console.open(url, bearer(revokee));
    const revoke = await runCli(o.bin, ["token", "revoke", revokee.id, "--data-dir", dataDir]);
    const revokedAt = Date.now();
    await pollFor(() => victim.closedAt, 5000, 20);
    const revokeCloseMs = victim.closedAt === undefined ? null : victim.closedAt - revokedAt;

    // Host header (DNS rebinding): a foreign Host is refused; our own is served (control).
    const foreignHost = await hostStatus(httpPort, "evil.example");
    const ownHost = await hostStatus(httpPort, `127.0.0.1:${httpPort}`);

    // /login: wrong tokens must be throttled.
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${url}login`, { method: "POST", body: `token=vgt_wrong${i}`, headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    const firstThrottled = statuses.findIndex((s) => s === 429);

    // Session expiry: bounded wait past the idle deadline.
    const expiresAt = idleSince + IDLE_MINUTES * 60_000;
    await pollFor(() => idle.closedAt, expiresAt + 5000 - Date.now(), 50);
    const expiryCloseMs = idle.closedAt === undefined ? null : Math.max(0, idle.closedAt - expiresAt);
    for (const c of [idle, viewer, nurse, victim]) c.close();
    await gateway.stop();

    // Audit: intact verifies (control), each tampering must not.
    const intact = await runCli(o.bin, ["audit", "verify", "--data-dir", dataDir]);
    const truncated = copyAlarms(dataDir);
    const rowsRemoved = truncateAudit(truncated, 2);
    const truncatedVerify = await runCli(o.bin, ["audit", "verify", "--data-dir", truncated]);
    const edited = copyAlarms(dataDir);
    const alertsEdited = reactivateAcknowledged(edited);
    const editedVerify = await runCli(o.bin, ["audit", "verify", "--data-dir", edited]);

    return {
      scenario: "security",
      figures: {
        "revoked socket closed after ms": revokeCloseMs,
        "expired session socket closed after ms": expiryCloseMs,
        "no-nurse alarm cleared by a viewer": clearedByViewer,
        "no-nurse alarm cleared by a nurse (control)": clearedByNurse !== undefined,
        "foreign Host /metrics status": foreignHost,
        "own Host /metrics status (control)": ownHost,
        "wrong /login attempts before 429": firstThrottled < 0 ? "never in 40" : firstThrottled,
        "audit rows removed / alerts edited": `${rowsRemoved} / ${alertsEdited}`,
        "audit verify exit: intact / truncated / edited": `${intact.code} / ${truncatedVerify.code} / ${editedVerify.code}`,
      },
      checks: [
        check("token revoke ran", revoke.code === 0, `exit ${revoke.code}`),
        atMost("revoked token's open socket closed within", revokeCloseMs, 1000, " ms"),
        atMost("expired session's open socket closed within", expiryCloseMs, 1000, " ms"),
        check("a viewer does not clear 'no nurse console connected'", !clearedByViewer && clearedByNurse !== undefined, clearedByViewer ? "cleared by a viewer" : clearedByNurse ? "kept; a nurse cleared it" : "a nurse did not clear it either"),
        check("an acknowledged alert to tamper with", acknowledged !== undefined && alertsEdited > 0, `${alertsEdited} edited`),
        check("audit verify passes the intact log", intact.code === 0, `exit ${intact.code}`),
        check("audit verify detects truncation + rewritten audit_head", truncatedVerify.code === 1, `exit ${truncatedVerify.code}`),
        check("audit verify detects alerts acknowledged → active", editedVerify.code === 1, `exit ${editedVerify.code}`),
        check("foreign Host header refused", foreignHost >= 400 && foreignHost < 500 && ownHost === 200, `${foreignHost} (own host ${ownHost})`),
        check("/login throttled within 40 wrong tokens", firstThrottled >= 0, firstThrottled < 0 ? "no 429" : `429 after ${firstThrottled}`),
      ],
    };
  } finally {
    await trigger.endAsync(true).catch(() => undefined);
    await gateway?.stop();
    await releaseBroker();
  }
}

async function hostStatus(port: number, host: string): Promise<number> {
  return (await rawHttp(port, Buffer.from(`GET /metrics HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`))) ?? 0;
}
