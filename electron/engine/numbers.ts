import type Database from 'better-sqlite3';
import type { NumberSeries } from '../../shared/contract/define.ts';
import { NUMBER_SERIES_RULES } from '../../shared/domain/number-series.ts';
import { prepared } from '../../db/sqlite/row-codec.ts';

interface Block {
  first: number;
  last: number;
  next: number;
}

/**
 * The next number of a series from this workstation's blocks, inside the caller's transaction (a
 * rolled-back command gives its number back). With no block left, a workstation that is not
 * connected to a server issues itself the next block; the sync issue replaces that with blocks
 * leased from the server, so numbers stay unique across desktops.
 */
export function takeNumber(raw: Database.Database, series: NumberSeries): string {
  const config = NUMBER_SERIES_RULES[series];
  let block = prepared(raw, 'SELECT first, last, next FROM number_blocks WHERE series = ? AND next <= last ORDER BY first LIMIT 1').get(series) as
    | Block
    | undefined;
  if (!block) {
    const highest = prepared(raw, 'SELECT max(last) AS last FROM number_blocks WHERE series = ?').get(series) as { last: number | null };
    const first = (highest.last ?? config.start - 1) + 1;
    block = { first, last: first + config.blockSize - 1, next: first };
    prepared(raw, "INSERT INTO number_blocks (series, first, last, next, source) VALUES (?, ?, ?, ?, 'LOCAL')").run(series, block.first, block.last, block.next);
  }
  prepared(raw, 'UPDATE number_blocks SET next = next + 1 WHERE series = ? AND first = ?').run(series, block.first);
  return config.format(block.next);
}
