import { v7 as uuidv7 } from 'uuid';
import { PgTxPort } from '../db/pg/port.ts';
import type { Transaction } from '../db/pg/queryable.ts';
import { outcomeSql, type ProcessedMutation } from '../server/sync/outcome.ts';
import { claimSql, lastMutationIdsSql, savepointOf } from '../server/sync/push.ts';
import type { CustomerRow } from '../shared/domain/customers/schema.ts';

/**
 * The statements a group of one client's customers.create leaves on the sync server, sent as the
 * server sends them — for each, one round trip: the previous one's row and savepoint release, its
 * own savepoint and both lookups (the first with the claim); then the last one's row, the change
 * log, audit rows, results and last-mutation-id of them all, and the workstation's last-mutation-ids
 * with the COMMIT — with no HTTP and no rules: a baseline for the push. One transaction; the
 * caller's. (The push's check that the workstation is registered, which rides with the first
 * round trip, is left out: the bench registers it beforehand.)
 */
export async function sendCustomerCreates(
  tx: Transaction,
  group: { userId: string; clientGroupId: string; clientId: string; mutations: { mutationId: number; row: CustomerRow; at: string }[] },
): Promise<void> {
  const { userId, clientGroupId, clientId } = group;
  const processed: ProcessedMutation[] = [];
  let carry: string[] = [];
  for (const [i, { mutationId, row, at }] of group.mutations.entries()) {
    const services = { actor: { userId, roles: ['ADMIN' as const] }, now: () => at, newId: () => uuidv7(), seal: (s: string) => s };
    const savepoint = savepointOf({ id: mutationId });
    const statements = [...(i === 0 ? [claimSql({ id: userId }, { clientId })] : []), ...carry, `SAVEPOINT ${savepoint}`];
    const port = new PgTxPort(tx, services, { statements, check: () => undefined });
    await Promise.all([port.get('customers', row.id), port.findBy('customers', 'email', row.email)]);
    await port.insert('customers', row);
    carry = [...port.takePending(), `RELEASE SAVEPOINT ${savepoint}`];
    const name = 'customers.create';
    processed.push({ mutationId, name, at, result: { clientId, id: mutationId, name, status: 'applied' }, changes: port.changes });
  }
  await tx.finish([...carry, outcomeSql(processed, { userId, clientGroupId, clientId }), lastMutationIdsSql(clientGroupId)]);
}
