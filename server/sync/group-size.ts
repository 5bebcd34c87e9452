/**
 * How many of a client's consecutive mutations a push commits in one transaction, each in a
 * savepoint (a subtransaction) of its own (push.ts, processGroup). At most 32 keeps PostgreSQL's
 * per-transaction cache of subtransactions (64) from overflowing, which would slow every other
 * session's snapshots. 1 gives each mutation a transaction of its own.
 */
export const DEFAULT_GROUP_SIZE = 32;
export const MAX_GROUP_SIZE = 32;
