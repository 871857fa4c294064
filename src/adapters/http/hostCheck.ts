/**
 * DNS rebinding defence: a page on attacker.example whose name is made to resolve to this gateway
 * sends `Host: attacker.example`. Only names the gateway is known by are accepted; IP literals
 * always are (a rebinding attack needs a name, and a console opened by address must work).
 */
import { isIP } from "node:net";
import { hostname } from "node:os";

/** The names accepted besides IP literals: loopback, this machine's name, the bind host, `http.allowedHosts`. */
export function allowedHostNames(bindHost: string, configured: readonly string[]): ReadonlySet<string> {
  const machine = hostname().toLowerCase();
  return new Set(["localhost", machine, `${machine}.local`, bindHost, ...configured].map(normalise));
}

export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (header === undefined || header.length > 300) return false;
  if (!URL.canParse(`http://${header}/`)) return false;
  const url = new URL(`http://${header}/`);
  if (url.username !== "" || url.password !== "" || `${url.host}` !== header.toLowerCase().replace(/:80$/, "")) return false;
  const name = normalise(url.hostname);
  return isIP(name.replace(/^\[|\]$/g, "")) !== 0 || allowed.has(name);
}

const normalise = (name: string): string => name.toLowerCase().replace(/\.$/, "");
