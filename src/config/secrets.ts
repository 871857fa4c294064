/** Secrets live in files (systemd credentials, 0600), never in the config itself. */
import { readFileSync } from "node:fs";

/** A secret file the config names but the gateway cannot read: a config error (exit 2), naming the key. */
export class ConfigSecretError extends Error {
  override readonly name = "ConfigSecretError";
}

export function readSecretFile(path: string, key: string): string {
  try {
    const secret = readFileSync(path, "utf8").trim();
    if (secret.length === 0) throw Object.assign(new Error("empty"), { code: "EMPTY" });
    return secret;
  } catch (e) {
    throw new ConfigSecretError(`${key}: cannot read a secret from ${path} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
}
