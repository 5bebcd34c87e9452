import type { Args, Out } from '../../contract/index.ts';
import type { CustomerRow } from '../customers/schema.ts';
import { DomainError, fieldError } from '../errors.ts';
import { formatCents } from '../money.ts';
import type { TxPort } from '../port.ts';
import { can } from '../roles.ts';
import { checkVersion, requirePermission, requireRow, revise } from './guards.ts';

const CREDIT_MESSAGE = 'Only a controller can set or change a credit limit';

function refuseTakenEmail(sameEmail: CustomerRow[], selfId: string | null): void {
  const other = sameEmail.find((c) => c.id !== selfId);
  if (other) throw fieldError('DUPLICATE', 'email', `${other.companyName} already uses this email`);
}

async function assertEmailFree(tx: TxPort, email: string, selfId: string | null): Promise<void> {
  refuseTakenEmail(await tx.findBy('customers', 'email', email), selfId);
}

export async function createCustomer(tx: TxPort, a: Args<'customers.create'>): Promise<Out<'customers.create'>> {
  // Both lookups at once: on the server they share one round trip.
  const [existing, sameEmail] = await Promise.all([tx.get('customers', a.id), tx.findBy('customers', 'email', a.email)]);
  if (existing) throw new DomainError('DUPLICATE', 'A customer with this id already exists');
  refuseTakenEmail(sameEmail, null);
  if (a.creditLimitCents > 0) {
    requirePermission(tx, 'customers.credit', `${CREDIT_MESSAGE}; save with $0.00 and ask a controller`, 'creditLimitCents');
  }
  const { id, ...fields } = a;
  const now = tx.now();
  const row: CustomerRow = { id, ...fields, status: 'ACTIVE', createdAt: now, updatedAt: now, version: 1 };
  await tx.insert('customers', row);
  return { id, version: 1 };
}

export async function updateCustomer(tx: TxPort, a: Args<'customers.update'>): Promise<Out<'customers.update'>> {
  const row = await requireRow(tx, 'customers', a.id, 'This customer');
  checkVersion(row, a.expectedVersion, 'This customer');
  if (a.creditLimitCents !== row.creditLimitCents) {
    requirePermission(
      tx,
      'customers.credit',
      `${CREDIT_MESSAGE} (it is ${formatCents(row.creditLimitCents)})`,
      'creditLimitCents',
    );
  }
  if (a.email !== row.email) await assertEmailFree(tx, a.email, row.id);
  const { id: _id, expectedVersion: _v, ...fields } = a;
  const next = revise(tx, row, fields);
  await tx.update('customers', next);
  return { id: next.id, version: next.version };
}

/**
 * Credit hold and its release are credit decisions (controller); deactivating or reactivating is
 * master-data upkeep (anyone who edits customers). Setting the status a customer already has
 * changes nothing.
 */
export async function setCustomerStatus(tx: TxPort, a: Args<'customers.setStatus'>): Promise<Out<'customers.setStatus'>> {
  const row = await requireRow(tx, 'customers', a.id, 'This customer');
  checkVersion(row, a.expectedVersion, 'This customer');
  if (row.status === a.status) return { id: row.id, version: row.version };
  const touchesHold = row.status === 'ON_HOLD' || a.status === 'ON_HOLD';
  if (touchesHold && !can(tx.actor.roles, 'customers.credit')) {
    throw new DomainError('NOT_AUTHORIZED', 'Only a controller can put a customer on credit hold or release the hold');
  }
  const next = revise(tx, row, { status: a.status });
  await tx.update('customers', next);
  return { id: next.id, version: next.version };
}
