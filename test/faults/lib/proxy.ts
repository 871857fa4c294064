/**
 * A TCP proxy the suite controls, between the gateway and its broker: `pass` forwards; `reset`
 * sends RST on every open and new connection (a NAT or firewall dropping state); `stall` stops
 * forwarding but keeps the sockets open, with no FIN or RST (a dead Wi-Fi path, a hung peer).
 * A stall pauses reading, so bytes wait in the kernel's buffers and flow again on `pass`, as
 * TCP retransmission would deliver them: a stalled path delays bytes, it never drops some.
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

function flow(p: Pair, on: boolean): void {
  for (const socket of [p.client, p.upstream]) {
    if (on) socket.resume();
    else socket.pause();
  }
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
    // Not pipe(): pipe resumes a paused source on 'drain', which would end a stall by itself.
    client.on("data", (d) => upstream.write(d));
    upstream.on("data", (d) => client.write(d));
    if (mode === "stall") flow(pair, false);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    setMode(next) {
      mode = next;
      for (const p of [...pairs]) {
        if (next === "reset") {
          p.client.resetAndDestroy();
          p.upstream.destroy();
        } else flow(p, next === "pass");
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
