/**
 * The MQTT client id of the ingest link. It must be the same at every start: the broker keeps
 * the session (subscriptions and the QoS 1 messages published while the gateway was down) under
 * that id, and a new id each start leaves the old session queueing and loses what it holds.
 * Unless the config names one, it is made once at random and kept in the data directory, so it is
 * stable across restarts and different for two gateways on one broker (a shared id would make
 * them take the session from each other in turn). 22 characters: MQTT 3.1.1 brokers must accept
 * ids up to 23.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const CLIENT_ID_FILE = "mqtt-client-id";
const VALID = /^[A-Za-z0-9._-]{1,128}$/;

export function stableClientId(dataDir: string, configured?: string): string {
  if (configured !== undefined) return configured;
  const file = join(dataDir, CLIENT_ID_FILE);
  try {
    const kept = readFileSync(file, "utf8").trim();
    if (VALID.test(kept)) return kept;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const id = `vg-ingest-${randomBytes(6).toString("hex")}`;
  // Written whole or not at all: a torn file at power loss would change the id.
  writeFileSync(`${file}.tmp`, `${id}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return id;
}
