/**
 * The embedded MQTT broker (aedes) for a single box with no broker of its own. It binds to
 * loopback by default; aedes speaks MQTT 3.1.1 (it refuses MQTT 5 CONNECT), so clients use v4.
 */
import { createServer, type AddressInfo, type Server } from "node:net";
import { timingSafeEqual } from "node:crypto";
import { Aedes } from "aedes";

export interface EmbeddedBroker {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface BrokerCredentials {
  readonly username: string;
  readonly password: string;
}

/** With `credentials`, every client must present them; without, it takes anonymous clients (loopback only: the config says so). */
export async function startEmbeddedBroker(host: string, port: number, credentials?: BrokerCredentials): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker(
    credentials === undefined
      ? {}
      : {
          authenticate: (_client, username, password, done) => {
            const ok = username === credentials.username && password !== undefined && sameSecret(password, credentials.password);
            done(null, ok);
          },
        },
  );
  const server: Server = createServer((socket) => broker.handle(socket));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `mqtt://${urlHost}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        broker.close();
      }),
  };
}

function sameSecret(given: Readonly<Buffer>, expected: string): boolean {
  const want = Buffer.from(expected, "utf8");
  return given.length === want.length && timingSafeEqual(given, want);
}
