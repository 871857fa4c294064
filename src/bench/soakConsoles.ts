/**
 * Consoles for the soak bench: WebSocket clients with a bearer token that behave like the nurse
 * console (src/adapters/http/console/console.js) on the wire: they take every message and confirm
 * each alert they are shown with `received`, so the gateway holds nothing on their account.
 */
import WebSocket from "ws";

export interface SoakConsoles {
  /** Messages received by all consoles so far. */
  messages(): number;
  close(): Promise<void>;
}

export async function connectConsoles(baseUrl: string, token: string, count: number): Promise<SoakConsoles> {
  let messages = 0;
  const sockets = await Promise.all(
    Array.from({ length: count }, async () => {
      const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}ws`, { headers: { authorization: `Bearer ${token}` } });
      ws.on("message", (data: Buffer) => {
        messages++;
        const message = JSON.parse(data.toString("utf8")) as { type: string; alert?: { id: string } };
        if (message.type === "alert" && message.alert) ws.send(JSON.stringify({ type: "received", alertId: message.alert.id }));
      });
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("unexpected-response", (_req, res) => reject(new Error(`console refused: HTTP ${res.statusCode}`)));
        ws.once("error", reject);
      });
      return ws;
    }),
  );
  return {
    messages: () => messages,
    async close() {
      await Promise.all(sockets.map((ws) => new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : (ws.once("close", () => resolve()), ws.close())))));
    },
  };
}
