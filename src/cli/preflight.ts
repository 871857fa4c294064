/**
 * Checks the daemon can bind its ports before it loads the pipeline, the model and the databases
 * (seconds): a busy or privileged port is then reported at once, in one line naming the port,
 * the config key and the fix. startGateway still handles a port taken in the meantime.
 */
import { createServer } from "node:net";
import type { GatewayConfig } from "../config/types.js";

export interface PortProblem {
  readonly message: string;
}

export async function preflightPorts(config: GatewayConfig): Promise<PortProblem | undefined> {
  const wanted: { host: string; port: number; key: string; flag: string }[] = [{ host: config.http.host, port: config.http.port, key: "http.port", flag: " or --port N (0 picks a free one)" }];
  if (config.mqtt.url === undefined) wanted.push({ host: config.mqtt.embeddedHost, port: config.mqtt.embeddedPort, key: "mqtt.embeddedPort", flag: ", or point mqtt.url at the broker that holds it" });
  for (const w of wanted) {
    if (w.port === 0) continue;
    const code = await bindError(w.host, w.port);
    if (code === "EADDRINUSE") return { message: `port ${w.port} on ${w.host} (${w.key}) is already in use; stop what holds it (ss -ltnp 'sport = :${w.port}'), or set ${w.key}${w.flag}` };
    if (code === "EACCES") return { message: `port ${w.port} on ${w.host} (${w.key}) needs privileges this user lacks (EACCES); use a port above 1023 behind a reverse proxy, or set ${w.key}${w.flag}` };
    if (code === "EADDRNOTAVAIL") return { message: `${w.host} (${w.key.replace("Port", "Host").replace("port", "host")}) is not an address of this machine (EADDRNOTAVAIL); use 127.0.0.1 or one of its own addresses` };
  }
  return undefined;
}

function bindError(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
