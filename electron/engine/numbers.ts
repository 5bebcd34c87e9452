import { and, asc, eq, lte, max, sql } from 'drizzle-orm';
import type { NumberSeries } from '../../shared/contract/define.ts';
import { formatLoadNumber } from '../../shared/domain/loads/schema.ts';
import type { SqliteDb } from '../../db/sqlite/port.ts';
import { numberBlocks } from '../../db/sqlite/schema.ts';

/** Where each series starts, how big a self-issued block is, and how its numbers read. */
const SERIES: Record<NumberSeries, { start: number; blockSize: number; format: (n: number) => string }> = {
  LOAD: { start: 100_001, blockSize: 1000, format: formatLoadNumber },
};

/**
 * The next number of a series from this workstation's blocks, inside the caller's transaction (a
 * rolled-back command gives its number back). With no block left, a workstation that is not
 * connected to a server issues itself the next block; the sync issue replaces that with blocks
 * leased from the server, so numbers stay unique across desktops.
 */
export function takeNumber(db: SqliteDb, series: NumberSeries): string {
  const config = SERIES[series];
  let block = db
    .select()
    .from(numberBlocks)
    .where(and(eq(numberBlocks.series, series), lte(numberBlocks.next, numberBlocks.last)))
    .orderBy(asc(numberBlocks.first))
    .limit(1)
    .get();
  if (!block) {
    const highest = db.select({ last: max(numberBlocks.last) }).from(numberBlocks).where(eq(numberBlocks.series, series)).get();
    const first = (highest?.last ?? config.start - 1) + 1;
    block = { series, first, last: first + config.blockSize - 1, next: first, source: 'LOCAL' };
    db.insert(numberBlocks).values(block).run();
  }
  db.update(numberBlocks)
    .set({ next: sql`${numberBlocks.next} + 1` })
    .where(and(eq(numberBlocks.series, series), eq(numberBlocks.first, block.first)))
    .run();
  return config.format(block.next);
}
