import type { NumberSeries } from '../../shared/contract/define.ts';
import { NUMBER_SERIES_RULES } from '../../shared/domain/number-series.ts';
import type { Lease } from '../../shared/sync/protocol.ts';
import type { ServerDatabase } from '../database.ts';

/**
 * The next block of a number series for a workstation. Blocks never overlap: the table is locked
 * against other leases for the moment it takes to find the highest number handed out.
 */
export async function leaseBlock(db: ServerDatabase, clientGroupId: string, series: NumberSeries, now: Date): Promise<Lease> {
  const rules = NUMBER_SERIES_RULES[series];
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE number_leases IN SHARE ROW EXCLUSIVE MODE');
    const { rows } = await tx.query<{ last: string | number | null }>('SELECT max(last) AS last FROM number_leases WHERE series = $1', [series]);
    const first = rows[0]?.last == null ? rules.start : Number(rows[0].last) + 1;
    const last = first + rules.blockSize - 1;
    await tx.query('INSERT INTO number_leases (series, first, last, client_group_id, leased_at) VALUES ($1, $2, $3, $4, $5)', [
      series,
      first,
      last,
      clientGroupId,
      now.toISOString(),
    ]);
    return { series, first, last };
  });
}
