/**
 * A TCP proxy the suite controls, between the gateway and its broker: `pass` forwards; `reset`
 * sends RST on every open and new connection (a NAT or firewall dropping state); `stall` stops
 * forwarding but keeps the sockets open, with no FIN or RST (a dead Wi-Fi path, a hung peer).
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export type ProxyMode = "pass" | "reset" | "stall";

export interface FaultProxy {
  readonly port: number;
  setMode(mode: ProxyMode): void;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
}

export async function startProxy(targetPort: number): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  let mode: ProxyMode = "pass";
  const server: Server = createServer((client) => {
    if (mode === "reset") return void client.resetAndDestroy();
    const upstream = connect(targetPort, "127.0.0.1");
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.on("data", (d) => mode === "pass" && upstream.write(d)); // stalled bytes are dropped, like a dead path
    upstream.on("data", (d) => mode === "pass" && client.write(d));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    setMode(next) {
      mode = next;
      if (next !== "reset") return;
      for (const p of [...pairs]) {
        p.client.resetAndDestroy();
        p.upstream.destroy();
      }
    },
    async close() {
      for (const p of [...pairs]) {
        p.client.destroy();
        p.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
