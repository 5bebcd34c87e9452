import { DomainError, notFound } from '../errors.ts';
import type { Access } from '../../contract/define.ts';
import type { Actor, Entities, EntityName, TxPort } from '../port.ts';
import { can, type Permission } from '../roles.ts';

export async function requireRow<E extends EntityName>(tx: TxPort, entity: E, id: string, label: string): Promise<Entities[E]> {
  const row = await tx.get(entity, id);
  if (!row) throw notFound(label);
  return row;
}

/** Optimistic concurrency: an edit made against an old copy of a record is refused, not merged. */
export function checkVersion(row: { version: number }, expectedVersion: number, label: string): void {
  if (row.version !== expectedVersion) {
    throw new DomainError(
      'STALE_VERSION',
      `${label} was changed by someone else since you opened it. Reopen it to see their changes, then make yours again.`,
    );
  }
}

export function hasAccess(actor: Actor | null, access: Access): boolean {
  if (access === 'public') return true;
  if (!actor) return false;
  if (access === 'signedIn') return true;
  return can(actor.roles, access);
}

export function requirePermission(tx: TxPort, permission: Permission, message: string, field?: string): void {
  if (!can(tx.actor.roles, permission)) {
    throw new DomainError('NOT_AUTHORIZED', message, field ? { [field]: message } : undefined);
  }
}

/** The next version of a row a mutator changes: bumps version, stamps updatedAt. */
export function revise<R extends { version: number; updatedAt: string }>(tx: TxPort, row: R, changes: Partial<R>): R {
  return { ...row, ...changes, version: row.version + 1, updatedAt: tx.now() };
}
