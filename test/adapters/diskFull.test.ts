/**
 * The storage pieces of "starts degraded on a full disk" (issue 9): the emergency reserve's
 * policy (free space injected, no root needed), readings.db paused while it is spent, and, on a
 * real 8 MiB tmpfs (root), an existing database that opens on a disk with no byte left.
 */
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { openDatabase } from "../../src/adapters/sqlite/open.js";
import { SqliteReadingStore } from "../../src/adapters/sqlite/readingStore.js";
import { readingsWhileFull } from "../../src/adapters/sqlite/readingsWhileFull.js";
import { reserveSizes, SpaceReserve } from "../../src/adapters/sqlite/spaceReserve.js";
import type { LinkState } from "../../src/core/link.js";
import type { Reading } from "../../src/core/model.js";
import { isRoot, smallDisk } from "../helpers/smallDisk.js";

const MiB = 1024 * 1024;

it("on a small file system the reserve and the low mark shrink, so space can come back there too", () => {
  expect(reserveSizes(64 * 1024 * MiB)).toEqual({ bytes: 4 * MiB, lowBytes: MiB }); // a real disk: the constants
  expect(reserveSizes(2 * MiB)).toEqual({ bytes: 256 * 1024, lowBytes: 128 * 1024 }); // a 2 MiB tmpfs
  const dir = mkdtempSync(join(tmpdir(), "vg-reserve-small-"));
  let free = 100 * 1024; // a 2 MiB file system, full
  const reserve = new SpaceReserve(dir, { totalBytes: () => 2 * MiB, freeBytes: () => free });
  reserve.check();
  expect(reserve.full).toBe(true);
  free = 1.7 * MiB; // the filler removed: with a fixed 4 MiB reserve this could never count as room
  reserve.check();
  expect(reserve.full).toBe(false);
  expect(statSync(join(dir, "reserve.bin")).size).toBe(256 * 1024);
});

it("the reserve: written when there is room, released when the disk is full, written back only once it fits again", () => {
  const dir = mkdtempSync(join(tmpdir(), "vg-reserve-"));
  let free = 100 * MiB;
  const reserve = new SpaceReserve(dir, { bytes: 2 * MiB, lowBytes: MiB, freeBytes: () => free });
  const states: LinkState[] = [];
  reserve.state$.subscribe((s) => states.push(s));
  const file = join(dir, "reserve.bin");

  reserve.check();
  expect(statSync(file).size).toBe(2 * MiB);
  expect(reserve.full).toBe(false);

  free = MiB / 2; // the disk filled up
  reserve.check();
  expect(existsSync(file)).toBe(false); // its room is for the opens, alerts and logins now
  expect(reserve.full).toBe(true);

  free = 2.5 * MiB; // some room, but not the reserve plus the margin: still full (no flapping)
  reserve.check();
  expect(existsSync(file)).toBe(false);
  expect(reserve.full).toBe(true);

  free = 10 * MiB; // space returned
  reserve.check();
  expect(statSync(file).size).toBe(2 * MiB);
  expect(states).toEqual([{ up: true }, { up: false, why: "ENOSPC" }, { up: true }]);
});

it("readings.db while the reserve is spent: a batch is refused like SQLITE_FULL (kept, not acknowledged), reads go on", () => {
  const store = new SqliteReadingStore(join(mkdtempSync(join(tmpdir(), "vg-paused-")), "readings.db"));
  let full = true;
  const paused = readingsWhileFull(store, () => full);
  const r: Reading = { patientId: "p1", deviceId: "d1", vital: "heart_rate", value: 60, unit: "/min", time: 1, receivedAt: 1, quality: ["device_time"] };
  try {
    expect(() => paused.appendBatch([r])).toThrow(expect.objectContaining({ code: "SQLITE_FULL" }) as Error);
    expect(paused.appendBatch([])).toBe(0); // an empty batch acknowledges refused frames: no reason to refuse it
    expect(paused.count()).toBe(0);
    full = false;
    expect(paused.appendBatch([r])).toBe(1);
    expect(paused.latest("p1")).toHaveLength(1);
  } finally {
    paused.close();
  }
});

it.runIf(isRoot)("an existing WAL database opens on a disk with no byte left (its WAL index in memory instead of -shm)", () => {
  const disk = smallDisk();
  try {
    const file = join(disk.dir, "readings.db");
    openDatabase(file, "normal", "CREATE TABLE IF NOT EXISTS t (x)").close(); // a clean close deletes -shm
    disk.fill();
    const db = openDatabase(file, "normal", "CREATE TABLE IF NOT EXISTS t (x)"); // today: SQLITE_IOERR_SHMSIZE
    expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 0 });
    db.close();
  } finally {
    disk.unmount();
  }
});
