/**
 * Runs `work` atomically: every write it makes, or none (SQLite: one transaction on alarms.db,
 * FULL-synced at commit). Throws what the store threw (e.g. SQLITE_FULL) after rolling back.
 */
export type Transaction = (work: () => void) => void;
