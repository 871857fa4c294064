/**
 * The HTTP side: health, metrics, login, the console's static files, and the upgrade to /ws.
 * Nothing here returns patient data except through an authenticated WebSocket. Before any route:
 * a request target that is not a URL is a 400, a Host the gateway is not known by is a 421 (DNS
 * rebinding, hostCheck.ts); wrong tokens at /login are throttled per address (loginThrottle.ts).
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { packagePath } from "../../packageRoot.js";
import type { Logger } from "../../ports/logger.js";
import type { Principal, TokenStore } from "../sqlite/tokenStore.js";
import type { WsHub } from "../ws/hub.js";
import { allowedHostNames, hostAllowed } from "./hostCheck.js";
import { LoginThrottle } from "./loginThrottle.js";
import type { Metrics } from "./metrics.js";
import { cookie, SESSION_COOKIE, type Sessions } from "./sessions.js";
// Patient history leaves through the authenticated history API too (issue 10).
import { historyAnswer, type HistoryDeps } from "./historyApi.js";

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, boolean>>;
}

export interface HttpDeps {
  readonly metrics: Metrics;
  readonly sessions: Sessions;
  readonly tokens: TokenStore;
  readonly hub: WsHub;
  /** The console's history API; absent: its paths answer 404. */
  readonly history?: HistoryDeps;
  readiness(): Readiness;
  /** Extra names the console is reached by (`http.allowedHosts`); loopback, IPs and this machine's name always are. */
  readonly allowedHosts?: readonly string[];
  readonly log?: Logger;
  /** Wall-clock ms, for login throttling. */
  readonly now?: () => number;
}

interface Guards {
  readonly hosts: ReadonlySet<string>;
  readonly throttle: LoginThrottle;
}

const CONSOLE_DIR = packagePath("src", "adapters", "http", "console");
/** The console's script: written by `npm run build` (scripts/buildConsole.ts) from src/console/. */
export const CONSOLE_BUNDLE_DIR = packagePath("dist", "console");
const STATIC: Readonly<Record<string, { dir: string; file: string; type: string }>> = {
  "/": { dir: CONSOLE_DIR, file: "index.html", type: "text/html; charset=utf-8" },
  "/console.js": { dir: CONSOLE_BUNDLE_DIR, file: "console.js", type: "text/javascript; charset=utf-8" },
  "/console.css": { dir: CONSOLE_DIR, file: "console.css", type: "text/css; charset=utf-8" },
};
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

export async function startHttpServer(host: string, port: number, deps: HttpDeps): Promise<{ server: Server; url: string }> {
  const guards: Guards = { hosts: allowedHostNames(host, deps.allowedHosts ?? []), throttle: new LoginThrottle(deps.metrics, deps.log, deps.now ?? Date.now) };
  const server = createServer((req, res) => {
    handle(req, res, deps, guards).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on("upgrade", (req: IncomingMessage, socket, head: Buffer) => {
    // Node leaves an upgrading socket without an 'error' listener, and a throw here is uncaught:
    // either would end the daemon on one bad request from anyone, before any authentication.
    socket.on("error", () => socket.destroy());
    const status = (line: string) => socket.end(`HTTP/1.1 ${line}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    try {
      const refused = refusal(req, deps, guards);
      if (refused !== undefined) return void status(refused === 400 ? "400 Bad Request" : "421 Misdirected Request");
      if (pathOf(req) !== "/ws") return void status("404 Not Found");
      deps.hub.handleUpgrade(req, socket, head);
    } catch {
      status("500 Internal Server Error");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return { server, url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}/` };
}

/** 400 for a request target that is not a URL, 421 for a Host this gateway is not known by; else undefined. */
function refusal(req: IncomingMessage, deps: HttpDeps, guards: Guards): 400 | 421 | undefined {
  const why = pathOf(req) === undefined ? "bad_target" : !hostAllowed(req.headers.host, guards.hosts) ? "host_not_allowed" : undefined;
  if (why !== undefined) deps.metrics.httpRefused.inc({ reason: why });
  return why === undefined ? undefined : why === "bad_target" ? 400 : 421;
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: HttpDeps, guards: Guards): Promise<void> {
  const reply = (status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": type, ...SECURITY_HEADERS, ...extra });
    res.end(body);
  };
  const refused = refusal(req, deps, guards);
  if (refused === 400) return reply(400, "text/plain", "The request target is not a valid URL.\n");
  if (refused === 421) return reply(421, "text/plain", "This gateway is not served under that host name. Use its address, or add the name to http.allowedHosts in the config.\n");
  const url = new URL(req.url ?? "/", "http://x");
  const client = req.socket.remoteAddress ?? "unknown";
  const login = (who: Principal | undefined, reason: "bad_token" | "bad_code"): Principal | undefined => {
    if (who) guards.throttle.succeeded(client);
    else guards.throttle.failed(client, reason);
    return who;
  };
  const throttled = () => {
    const wait = guards.throttle.retryAfterMs(client);
    if (wait > 0) reply(429, "text/plain", "Too many failed sign-ins from this address: wait and try again.\n", { "retry-after": String(Math.ceil(wait / 1000)) });
    return wait > 0;
  };
  const route = `${req.method ?? "GET"} ${url.pathname}`;
  switch (route) {
    case "GET /livez":
      return reply(200, "text/plain", "ok\n");
    case "GET /readyz": {
      const r = deps.readiness();
      return reply(r.ready ? 200 : 503, "application/json", JSON.stringify(r));
    }
    case "GET /metrics":
      return reply(200, deps.metrics.registry.contentType, await deps.metrics.registry.metrics());
    case "GET /api/me": {
      const who = deps.sessions.principalOf(req);
      return who ? reply(200, "application/json", JSON.stringify({ user: who.name, role: who.role })) : reply(401, "application/json", '{"error":"unauthenticated"}');
    }
    case "GET /login": {
      if (throttled()) return;
      const who = login(deps.tokens.redeemLoginCode(url.searchParams.get("code") ?? ""), "bad_code");
      if (!who) return reply(401, "text/plain", "This login link is invalid, expired or already used. Ask for a new one (vitals-gateway token create).\n");
      return reply(303, "text/plain", "", { location: "/", "set-cookie": deps.sessions.cookieHeader(deps.sessions.create(who)) });
    }
    case "POST /login": {
      if (throttled()) return;
      const body = await readBody(req, 4096);
      const token = new URLSearchParams(body ?? "").get("token")?.trim() ?? "";
      const who = login(deps.tokens.verifyToken(token), "bad_token");
      if (!who) return reply(401, "text/plain", "Unknown or revoked token.\n");
      return reply(303, "text/plain", "", { location: "/", "set-cookie": deps.sessions.cookieHeader(deps.sessions.create(who)) });
    }
    case "POST /logout": {
      const id = cookie(req, SESSION_COOKIE);
      if (id !== undefined) deps.sessions.end(id);
      return reply(303, "text/plain", "", { location: "/", "set-cookie": `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
    }
    default: {
      const api = deps.history ? historyAnswer(req, url, deps.history) : undefined;
      if (api) return reply(api.status, "application/json", JSON.stringify(api.body));
      const file = req.method === "GET" ? STATIC[url.pathname] : undefined;
      if (!file) return reply(404, "text/plain", "not found\n");
      return reply(200, file.type, await readFile(`${file.dir}/${file.file}`));
    }
  }
}

/** The request path, or undefined when the request target is not a URL (`GET http://[ …`). */
function pathOf(req: IncomingMessage): string | undefined {
  return URL.canParse(req.url ?? "/", "http://x") ? new URL(req.url ?? "/", "http://x").pathname : undefined;
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(undefined));
  });
}
