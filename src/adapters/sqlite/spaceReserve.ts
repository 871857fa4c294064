/**
 * The emergency reserve: `reserve.bin`, a few MiB of zeros kept in the data dir so that a
 * gateway restarted on a full disk can still open its databases. On a full disk SQLite cannot
 * even map a WAL index (SQLITE_IOERR_SHMSIZE), so readings.db, auth.db (the nurses' logins) and
 * alarms.db would stay shut: no console, no alarm. Retrying the opens lazily would not help when
 * nothing else frees space; deleting our own reserve always does (also on a tmpfs, where space is
 * given back at unlink).
 *
 * Both sizes shrink on a small file system (an eighth and a sixteenth of it), so that "space
 * returned" can happen there too: a fixed 4 MiB reserve could never come back on a 2 MiB disk, and
 * readings would stay paused for good.
 *
 * Released (deleted) when the free space is below `lowBytes` at start or later; while released
 * the gateway is degraded ("storage full" alarm, readings not written, so the space left goes to
 * alerts, their audit and logins). Written back once the disk has room for it again.
 */
import { closeSync, existsSync, openSync, rmSync, statfsSync, writeSync } from "node:fs";
import { join } from "node:path";
import { BehaviorSubject, distinctUntilChanged, type Observable } from "rxjs";
import type { LinkState } from "../../core/link.js";

export const RESERVE_FILE = "reserve.bin";
/** About 100 WAL indexes and a few thousand alert rows; small beside any real disk. */
export const RESERVE_BYTES = 4 * 1024 * 1024;
/** Free space below this counts as a full disk (a few batches of readings, some alerts). */
export const LOW_BYTES = 1024 * 1024;

/** The reserve and the low mark for a file system of `total` bytes: the constants, or less on a small one. */
export function reserveSizes(total: number): { bytes: number; lowBytes: number } {
  return { bytes: Math.min(RESERVE_BYTES, Math.floor(total / 8)), lowBytes: Math.min(LOW_BYTES, Math.floor(total / 16)) };
}

export interface SpaceReserveOptions {
  readonly bytes?: number;
  readonly lowBytes?: number;
  /** Free bytes for an unprivileged writer on the data dir's file system (injected by tests). */
  readonly freeBytes?: (dir: string) => number;
  /** The file system's size (injected by tests). */
  readonly totalBytes?: (dir: string) => number;
}

export class SpaceReserve {
  private readonly file: string;
  private sizes: { bytes: number; lowBytes: number } | undefined;
  private readonly freeBytes: (dir: string) => number;
  private readonly state = new BehaviorSubject<LinkState>({ up: true });

  constructor(
    private readonly dir: string,
    private readonly options: SpaceReserveOptions = {},
  ) {
    this.file = join(dir, RESERVE_FILE);
    this.freeBytes = options.freeBytes ?? freeOn;
  }

  /** Sized on first use (the data dir exists by then): the options', else reserveSizes() of the file system. */
  private get bytes(): number {
    return this.options.bytes ?? this.sized().bytes;
  }

  private get lowBytes(): number {
    return this.options.lowBytes ?? this.sized().lowBytes;
  }

  private sized(): { bytes: number; lowBytes: number } {
    if (this.sizes) return this.sizes;
    try {
      this.sizes = reserveSizes((this.options.totalBytes ?? sizeOf)(this.dir));
    } catch {
      return { bytes: RESERVE_BYTES, lowBytes: LOW_BYTES }; // no file system to ask yet: the defaults, asked again next time
    }
    return this.sizes;
  }

  /** Up while the reserve is in place (the disk has room); down ("disk full") while it is spent. */
  get state$(): Observable<LinkState> {
    return this.state.pipe(distinctUntilChanged((a, b) => a.up === b.up));
  }

  get full(): boolean {
    return !this.state.value.up;
  }

  /**
   * Before anything else is opened: a full disk releases the reserve (the opens then have room);
   * otherwise a missing reserve is written. Never throws for lack of space.
   */
  check(): void {
    if (this.freeBytes(this.dir) < this.lowBytes) return this.release();
    if (existsSync(this.file)) return this.state.next({ up: true });
    this.state.next(this.write() ? { up: true } : { up: false, why: "ENOSPC" });
  }

  /** Deletes the reserve: its space is for alerts and logins now. */
  release(): void {
    rmSync(this.file, { force: true });
    this.state.next({ up: false, why: "ENOSPC" });
  }

  private write(): boolean {
    if (this.freeBytes(this.dir) < this.bytes + this.lowBytes) return false;
    let fd: number | undefined;
    try {
      fd = openSync(this.file, "w", 0o600);
      const chunk = Buffer.alloc(64 * 1024);
      for (let written = 0; written < this.bytes; written += chunk.length) writeSync(fd, chunk);
      return true;
    } catch {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      rmSync(this.file, { force: true }); // a partial reserve would only hide the missing space
      return false;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

function sizeOf(dir: string): number {
  const s = statfsSync(dir);
  return s.blocks * s.bsize;
}

function freeOn(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}
