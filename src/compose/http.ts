/** The HTTP server (console, /ws, /livez, /readyz, /metrics) and its orderly close. */
import { startHttpServer, type HttpDeps, type Readiness } from "../adapters/http/server.js";
import type { WsHub } from "../adapters/ws/hub.js";
import type { Teardown } from "./teardown.js";

export async function serveHttp(at: { readonly host: string; readonly port: number }, deps: HttpDeps, hub: WsHub, teardown: Teardown): Promise<string> {
  const http = await startHttpServer(at.host, at.port, deps);
  teardown.add(async () => {
    const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
    http.server.closeAllConnections(); // keep-alive sockets would hold close() open
    await closed;
  });
  // Runs before the server close above: that waits for the upgraded WebSocket sockets, which
  // closeAllConnections() does not track and only the hub closes (with 1001 to each console).
  teardown.add(() => hub.close());
  return http.url;
}

export interface Checks {
  readonly database: boolean;
  readonly broker: boolean;
  readonly ble: boolean;
  readonly pipeline: boolean;
}

/**
 * DESIGN §4: ready = databases, broker and pipeline up. BLE is reported, not required: a lost
 * Bluetooth adapter is a technical alarm, and MQTT sensors keep flowing.
 */
export function readinessOf(checks: () => Checks): () => Readiness {
  return () => {
    const c = checks();
    return { ready: c.database && c.broker && c.pipeline, checks: { ...c } };
  };
}
