/**
 * `vitals-gateway run [--config FILE] [--data-dir DIR] [--port N]`. With no config: the demo on
 * embedded defaults (config/demo.yaml): embedded broker, replayed recordings, a one-time login link.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { jsonLogger } from "../adapters/log/jsonLogger.js";
import { formatProblems, loadConfigFile, loadConfigText, type LoadResult } from "../config/load.js";
import type { GatewayConfig } from "../config/types.js";
import { mimicTrack, physionetTracks } from "../demo/recordings.js";
import { startReplay, type Replay } from "../demo/replay.js";
import { systemdNotifier } from "../adapters/systemd/notify.js";
import { feedWatchdog, stallOnSignalForTests } from "../adapters/systemd/watchdog.js";
import { StorageError } from "../adapters/sqlite/storageError.js";
import { UpstreamConfigError } from "../adapters/upstream/config.js";
import { ConfigSecretError } from "../config/secrets.js";
import type { Gateway } from "../main.js";
import type { Logger } from "../ports/logger.js";
import { packagePath } from "../packageRoot.js";
import { parseFlags, UsageError, withUsage } from "./args.js";
import { preflightPorts } from "./preflight.js";
import { printableConfig } from "./printConfig.js";

export const USAGE = "usage: vitals-gateway run [--config FILE] [--data-dir DIR] [--port N] [--print-config]";

export function run(args: string[]): Promise<number> {
  return withUsage(USAGE, async () => {
    const { values } = parseFlags(args, { config: { type: "string" }, "data-dir": { type: "string" }, port: { type: "string" }, "print-config": { type: "boolean" } });
    const file = values.config;
    const loaded: LoadResult = file ? loadConfigFile(file) : loadConfigText(readFileSync(packagePath("config", "demo.yaml"), "utf8"), process.cwd());
    if (!loaded.ok) {
      process.stderr.write(`${formatProblems(file ?? "config/demo.yaml", loaded.problems)}\n${loaded.problems.length} problem(s); not started\n`);
      return 2;
    }
    const config = withOverrides(loaded.config, values["data-dir"], values.port);
    if (values["print-config"]) {
      process.stdout.write(printableConfig(config));
      return 0;
    }
    const busy = await preflightPorts(config);
    if (busy) {
      process.stderr.write(`vitals-gateway run: ${busy.message}\n`);
      return 1;
    }
    // Loaded only now: importing the pipeline and the model takes seconds, a refused start should not.
    const { startGateway } = await import("../main.js");
    const log = jsonLogger(config.logging.level);
    // Installed before anything starts: an early SIGHUP must never kill the daemon (its default action).
    let reload: () => void = () => log.log("warn", "SIGHUP before the gateway was ready: ignored");
    process.on("SIGHUP", () => reload());
    let gateway: Gateway;
    try {
      gateway = await startGateway(config, { logger: log });
    } catch (e) {
      if (e instanceof StorageError) {
        process.stderr.write(`vitals-gateway run: ${e.message}\n`);
        return 1;
      }
      if (e instanceof UpstreamConfigError || e instanceof ConfigSecretError) {
        process.stderr.write(`vitals-gateway run: ${e.message}\n`);
        return 2;
      }
      const err = e as NodeJS.ErrnoException & { port?: number };
      if (err.code !== "EADDRINUSE") throw e;
      process.stderr.write(`vitals-gateway run: port ${err.port ?? "?"} is already in use; choose another with --port N (0 picks a free one)\n`);
      return 1;
    }
    if (file) reload = () => reloadConfig(file, gateway, log);

    let replay: Replay | undefined;
    if (config.demo.enabled) {
      replay = await startReplay(gateway.mqttUrl, config.mqtt.topicPrefix, [mimicTrack(), ...physionetTracks()], config.demo.speed, log.child("demo"));
      process.stdout.write(`demo: replaying real PhysioNet recordings at ${config.demo.speed}x (not live patients)\n`);
    }
    if (config.demo.enabled && config.demo.loginLink) {
      const { token } = gateway.tokens.createLoginCode("nurse", "demo nurse", config.auth.loginCodeMinutes * 60_000);
      process.stdout.write(`login (one-time, ${config.auth.loginCodeMinutes} min): ${gateway.url}login?code=${token}\n`);
    }
    process.stdout.write(`mqtt: ${gateway.mqttUrl}\nconsole: ${gateway.url}\n`);
    // Type=notify: ready only now that the databases, broker client, pipeline and HTTP are up.
    const service = systemdNotifier(log);
    service.send("READY=1", `STATUS=console ${gateway.url}`);
    const watchdog = feedWatchdog(service, () => liveChecks(gateway), log);
    stallOnSignalForTests(log);

    await new Promise<void>((done) => {
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    });
    service.send("STOPPING=1");
    watchdog.stop();
    await replay?.stop();
    await gateway.stop();
    return 0;
  });
}

/** Watchdog health: databases and pipeline (a broker outage is an alarm, not a reason to restart). */
function liveChecks(gateway: Gateway): boolean {
  const { checks } = gateway.readiness();
  return checks["database"] === true && checks["pipeline"] === true;
}

function reloadConfig(file: string, gateway: Gateway, log: Logger): void {
  const next = loadConfigFile(file);
  if (!next.ok) {
    gateway.metrics.configReloads.inc({ result: "rejected" });
    gateway.metrics.rejected.inc({ code: "config_invalid", stage: "config" });
    log.log("error", `config reload refused, keeping the running config:\n${formatProblems(file, next.problems)}`, { code: "config_invalid" });
    return;
  }
  gateway.reload(next.config);
}

function withOverrides(config: GatewayConfig, dataDir: string | undefined, port: string | undefined): GatewayConfig {
  let out = config;
  if (dataDir !== undefined) out = { ...out, dataDir: resolve(dataDir) };
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be an integer 0..65535, got '${port}'`);
    out = { ...out, http: { ...out.http, port: n } };
  }
  return out;
}
