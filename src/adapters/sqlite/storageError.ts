/**
 * Storage the daemon must not run on: corrupt, newer than this build, unwritable, or held by a
 * second daemon. The message is one line naming the path and the fix; the CLI prints it and exits 1.
 * A full disk is NOT one of these (the alert path starts degraded and retries instead).
 */
export class StorageError extends Error {
  override readonly name = "StorageError";
}
