import type Database from 'better-sqlite3';
import type { NumberSeries } from '../../shared/contract/define.ts';
import { NUMBER_SERIES_RULES } from '../../shared/domain/number-series.ts';
import { prepared } from '../../db/sqlite/row-codec.ts';
import { DomainError } from '../../shared/domain/errors.ts';

interface Block {
  first: number;
  last: number;
  next: number;
}

/**
 * The next number of a series from this workstation's blocks, inside the caller's transaction (a
 * rolled-back command gives its number back). A workstation connected to a sync server uses only
 * blocks leased from it (the sync client keeps one in reserve while online), so numbers stay
 * unique across desktops; one that never connected issues itself the next block.
 */
export function takeNumber(raw: Database.Database, series: NumberSeries): string {
  const config = NUMBER_SERIES_RULES[series];
  let block = prepared(raw, 'SELECT first, last, next FROM number_blocks WHERE series = ? AND next <= last ORDER BY first LIMIT 1').get(series) as
    | Block
    | undefined;
  if (!block) {
    if (prepared(raw, "SELECT 1 FROM meta WHERE key = 'syncServerUrl'").get()) {
      throw new DomainError(
        'NUMBERS_EXHAUSTED',
        'This workstation has used all the load numbers the server gave it. Connect to the network for a moment to get more.',
      );
    }
    const highest = prepared(raw, 'SELECT max(last) AS last FROM number_blocks WHERE series = ?').get(series) as { last: number | null };
    const first = (highest.last ?? config.start - 1) + 1;
    block = { first, last: first + config.blockSize - 1, next: first };
    prepared(raw, "INSERT INTO number_blocks (series, first, last, next, source) VALUES (?, ?, ?, ?, 'LOCAL')").run(series, block.first, block.last, block.next);
  }
  prepared(raw, 'UPDATE number_blocks SET next = next + 1 WHERE series = ? AND first = ?').run(series, block.first);
  return config.format(block.next);
}
