import type Database from 'better-sqlite3';
import { prepared, quote } from '../../db/sqlite/row-codec.ts';

/**
 * A first sync writes every load and tracking event there is. Keeping the tables' lookup indexes
 * (the board's sorts, events by load) up to date row by row costs more than the rows themselves;
 * building each index once afterwards is several times faster (docs/BENCHMARKS.md). So a first
 * sync's first page drops them, inside its transaction, keeping their SQL in `meta`; its last page
 * builds them again. Unique indexes stay: they guard data, not speed.
 */
const TABLES = ['loads', 'load_events'];
const META_KEY = 'deferredIndexes';

export function deferIndexes(raw: Database.Database): void {
  const indexes = prepared(
    raw,
    `SELECT name, sql FROM sqlite_master
     WHERE type = 'index' AND tbl_name IN (${TABLES.map(() => '?').join(', ')}) AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'`,
  ).all(...TABLES) as { name: string; sql: string }[];
  if (indexes.length === 0) return;
  prepared(raw, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    META_KEY,
    JSON.stringify(indexes.map((i) => i.sql)),
  );
  for (const index of indexes) raw.exec(`DROP INDEX ${quote(index.name)}`);
}

/**
 * Builds the indexes a first sync set aside, if any; true when it did. Run by the first sync's last
 * page, and when the engine opens (a first sync that stopped half way, the app closed or killed).
 */
export function restoreIndexes(raw: Database.Database): boolean {
  const row = prepared(raw, 'SELECT value FROM meta WHERE key = ?').get(META_KEY) as { value: string } | undefined;
  if (!row) return false;
  // SQLite sorts an index's entries within the page cache's size and spills the rest to temporary
  // files to merge: 725,000 tracking events' entries need some 50 MB. A larger cache for the while
  // builds them a fifth faster (docs/BENCHMARKS.md); the usual size comes back afterwards.
  const usual = raw.pragma('cache_size', { simple: true }) as number;
  raw.pragma(`cache_size = ${String(INDEX_BUILD_CACHE_KIB)}`);
  try {
    for (const sql of JSON.parse(row.value) as string[]) raw.exec(sql);
  } finally {
    raw.pragma(`cache_size = ${String(usual)}`);
  }
  prepared(raw, 'DELETE FROM meta WHERE key = ?').run(META_KEY);
  return true;
}

/** The page cache while the deferred indexes are built: 256 MiB (negative: KiB, as SQLite counts). */
const INDEX_BUILD_CACHE_KIB = -262_144;
