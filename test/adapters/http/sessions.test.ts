/** Console sessions: they end after the idle time without activity, not at a fixed time after login. */
import { mkdtempSync, readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SESSION_COOKIE, Sessions } from "../../../src/adapters/http/sessions.js";
import { TokenStore, type Principal } from "../../../src/adapters/sqlite/tokenStore.js";

const IDLE = 60_000;
let nurse: Principal;
let now = 0;
let tokens: TokenStore;
let sessions: Sessions;
let file: string;
const withCookie = (id: string) => ({ headers: { cookie: `other=1; ${SESSION_COOKIE}=${id}` } }) as IncomingMessage;

beforeEach(() => {
  now = 1_000;
  file = join(mkdtempSync(join(tmpdir(), "vg-sessions-")), "auth.db");
  tokens = new TokenStore(file, () => now);
  sessions = new Sessions(tokens, IDLE, () => now);
  nurse = { tokenId: tokens.createToken("nurse", "nurse-3").id, name: "nurse-3", role: "nurse" };
});
afterEach(() => tokens.close());

describe("Sessions", () => {
  it("keeps a session that is used, and ends it after the idle time without use", () => {
    const id = sessions.create(nurse);
    now += IDLE - 1;
    expect(sessions.principalOf(withCookie(id))).toEqual(nurse);
    now += IDLE - 1; // used just now: still alive although the login was longer ago than IDLE
    expect(sessions.principalOf(withCookie(id))).toEqual(nurse);
    now += IDLE + 1;
    expect(sessions.principalOf(withCookie(id))).toBeUndefined();
  });

  it("ends every session opened with a token once the token is revoked", () => {
    const id = sessions.create(nurse);
    expect(sessions.principalOf(withCookie(id))).toEqual(nurse);
    tokens.revoke(nurse.tokenId);
    expect(sessions.principalOf(withCookie(id))).toBeUndefined();
  });

  it("forgets idle sessions when a new one is made (the map does not grow with every login)", () => {
    const old = sessions.create(nurse);
    now += IDLE + 1;
    sessions.create(nurse);
    now -= IDLE + 1; // even back in time, the forgotten session is gone
    expect(sessions.principalOf(withCookie(old))).toBeUndefined();
  });

  it("counts WebSocket activity (touch), but does not revive an expired session", () => {
    const id = sessions.create(nurse);
    for (let i = 0; i < 5; i++) {
      now += IDLE - 1;
      sessions.touch(id);
    }
    expect(sessions.principalOf(withCookie(id))).toEqual(nurse);
    now += IDLE + 1;
    sessions.touch(id);
    expect(sessions.principalOf(withCookie(id))).toBeUndefined();
  });

  it("sets an HttpOnly, SameSite=Strict cookie without Max-Age, so the browser does not end a busy session at login + idle", () => {
    const header = sessions.cookieHeader("abc");
    expect(header).toBe(`${SESSION_COOKIE}=abc; HttpOnly; SameSite=Strict; Path=/`);
  });

  it("survives a gateway restart (a new store and Sessions on the same auth.db), with the same idle expiry", () => {
    const id = sessions.create(nurse);
    now += 30_000;
    expect(sessions.principalOf(withCookie(id))).toEqual(nurse); // used: its last activity reaches auth.db
    tokens.close();
    tokens = new TokenStore(file, () => now);
    const restarted = new Sessions(tokens, IDLE, () => now);
    expect(restarted.principalOf(withCookie(id))).toEqual(nurse);
    now += IDLE + 1; // a restart can shorten a session, never lengthen it
    expect(restarted.principalOf(withCookie(id))).toBeUndefined();
  });

  it("stores a session only by its hash: the cookie value is not in auth.db", () => {
    const id = sessions.create(nurse);
    tokens.close();
    for (const f of [file, `${file}-wal`]) {
      let bytes = "";
      try {
        bytes = readFileSync(f).toString("latin1");
      } catch {
        continue; // no WAL left after a checkpoint
      }
      expect(bytes).not.toContain(id);
    }
    tokens = new TokenStore(file, () => now);
  });

  it("ends a restored session when its token is revoked by another process", () => {
    const id = sessions.create(nurse);
    const before = sessions.changeCount();
    const other = new TokenStore(file, () => now);
    other.revoke(nurse.tokenId);
    other.close();
    expect(sessions.changeCount()).not.toBe(before);
    expect(sessions.validity({ kind: "session", id })).toBe("revoked");
    expect(sessions.principalOf(withCookie(id))).toBeUndefined();
  });
});
