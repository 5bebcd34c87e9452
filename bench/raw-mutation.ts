import { v7 as uuidv7 } from 'uuid';
import { PgTxPort } from '../db/pg/port.ts';
import type { Transaction } from '../db/pg/queryable.ts';
import { claimSql, outcomeSql } from '../server/sync/push.ts';
import type { CustomerRow } from '../shared/domain/customers/schema.ts';

/**
 * The statements one customers.create leaves on the sync server, sent as the server sends them —
 * the claim with both lookups in one round trip, then the row, change log, audit row, result and
 * last-mutation-id — with no HTTP and no rules: a baseline for the push. `last` says how they end:
 * with the COMMIT, or inside a savepoint of a larger transaction.
 */
export async function sendCustomerCreate(
  tx: Transaction,
  m: { userId: string; clientGroupId: string; clientId: string; mutationId: number; row: CustomerRow; at: string },
  last: 'commit' | 'savepoint' = 'commit',
): Promise<void> {
  const { userId, clientGroupId, clientId, mutationId, row, at } = m;
  if (last === 'savepoint') await tx.batch(['SAVEPOINT mutation']);
  const services = { actor: { userId, roles: ['ADMIN' as const] }, now: () => at, newId: () => uuidv7(), seal: (s: string) => s };
  const port = new PgTxPort(tx, services, { statements: [claimSql({ id: userId }, { clientId })], check: () => undefined });
  await Promise.all([port.get('customers', row.id), port.findBy('customers', 'email', row.email)]);
  await port.insert('customers', row);
  const result = { clientId, id: mutationId, name: 'customers.create', status: 'applied' as const };
  const outcome = outcomeSql(port.changes, { userId, clientGroupId, clientId, mutationId, name: result.name, at, result });
  if (last === 'savepoint') await tx.batch([...port.takePending(), outcome, 'RELEASE SAVEPOINT mutation']);
  else await tx.finish([...port.takePending(), outcome]);
}
