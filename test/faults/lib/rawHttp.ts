/** One raw HTTP request over TCP (so malformed ones can be sent): the status, or null if none came in time. */
import { connect } from "node:net";

export function rawHttp(port: number, request: Buffer, timeoutMs = 3000): Promise<number | null> {
  return new Promise((resolve) => {
    let head = "";
    const socket = connect(port, "127.0.0.1", () => socket.end(request));
    const done = (status: number | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(status);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on("data", (d: Buffer) => {
      head += d.toString("latin1");
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (m) done(Number(m[1]));
      else if (head.length > 64) done(null);
    });
    socket.on("error", () => done(null));
    socket.on("close", () => done(null));
  });
}
