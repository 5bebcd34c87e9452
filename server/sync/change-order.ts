import type { Queryable } from '../../db/pg/queryable.ts';

/**
 * How the server orders changes, and why no pull can skip one.
 *
 * A change's version is the id of the PostgreSQL transaction that made it (`pg_current_xact_id`):
 * every change and the stored result of one mutation share it, and mutations from different
 * desktops commit side by side (PostgreSQL groups their commits), with no counter row that each
 * would hold locked until its commit.
 *
 * Transaction ids are handed out when a transaction first writes, not when it commits, so a
 * transaction with a low id may commit after one with a higher id. A pull therefore reads only
 * below its horizon: the lowest id among the transactions still running when its snapshot was
 * taken (or, with none running, the next id to be handed out). Everything below the horizon has
 * finished — committed and visible to the pull, or rolled back — and every change still to come
 * will carry an id at or above it. A pull that has seen everything below h has seen everything it
 * ever will below h, so `cookie = h - 1` is safe to resume from.
 *
 * Transaction ids are shared by every database of a PostgreSQL cluster: a transaction running in
 * another database (or autovacuum analysing this one) cannot write a change here, so it does not
 * hold the horizon back. Any other running transaction does, until it ends — a long transaction
 * that writes to this database delays pulls (they send less), but never makes one skip.
 */
export const CHANGE_VERSION_SQL = 'pg_current_xact_id()::text::bigint';

export const HORIZON_SQL = `
  SELECT coalesce(
    (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s.snap) AS x
      WHERE x::text NOT IN (
        SELECT backend_xid::text FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL AND (datname IS DISTINCT FROM current_database() OR backend_type = 'autovacuum worker'))),
    pg_snapshot_xmax(s.snap)::text::bigint) AS horizon
  FROM (SELECT pg_current_snapshot() AS snap) s`;

/**
 * The pull's horizon, read as the first statement of its REPEATABLE READ transaction (so that the
 * snapshot it describes is the one every later query of the pull reads from).
 */
export async function readHorizon(tx: Queryable): Promise<number> {
  const { rows } = await tx.query<{ horizon: string | number }>(HORIZON_SQL);
  return Number(rows[0]?.horizon ?? 0);
}

/**
 * Versions are this cluster's transaction ids, so a database copied into another cluster by
 * pg_dump and pg_restore (whose transaction ids start again from a few hundred) holds changes
 * "from the future": every pull would stop below them and send none, and desktops would be told
 * to sync again from the start and receive nothing. A physical backup (pg_basebackup, a cloud
 * snapshot) keeps the ids with the data and is the way to back this server up. Null when the
 * change log is in order, else why not.
 */
export async function changeOrderProblem(db: Queryable): Promise<string | null> {
  const { rows } = await db.query<{ newest: string | number | null; next: string | number }>(
    'SELECT (SELECT max(version) FROM change_log) AS newest, pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS next',
  );
  const newest = Number(rows[0]?.newest ?? 0);
  const next = Number(rows[0]?.next ?? 0);
  if (newest < next) return null;
  return (
    `The change log holds changes numbered up to ${String(newest)}, ahead of this PostgreSQL's transaction ids (next ${String(next)}): ` +
    'the database was copied from another PostgreSQL with pg_dump/pg_restore, which desktops cannot sync from. ' +
    'Restore it from a physical backup (pg_basebackup or a disk snapshot) instead; see "Backing up the sync server" in the README.'
  );
}
