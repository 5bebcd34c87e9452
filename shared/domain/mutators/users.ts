import type { Args, Out } from '../../contract/index.ts';
import { DomainError, fieldError } from '../errors.ts';
import type { TxPort } from '../port.ts';
import { permissionsOf } from '../roles.ts';
import type { UserRow } from '../users/schema.ts';
import { checkVersion, requireRow, revise } from './guards.ts';

export async function setupWorkspace(tx: TxPort, a: Args<'workspace.setup'>): Promise<Out<'workspace.setup'>> {
  if ((await tx.count('workspaces')) > 0 || (await tx.count('users')) > 0) {
    throw new DomainError('ALREADY_SET_UP', 'This workspace is already set up. Sign in instead.');
  }
  const now = tx.now();
  await tx.insert('workspaces', { id: a.workspaceId, name: a.workspaceName, createdAt: now, updatedAt: now, version: 1 });
  const user: UserRow = {
    id: a.userId,
    email: a.email,
    name: a.name,
    roles: ['ADMIN'],
    passwordHash: a.passwordHash,
    active: true,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await tx.insert('users', user);
  return toSessionUser(user);
}

export function toSessionUser(user: UserRow) {
  const { passwordHash: _hash, ...view } = user;
  return { ...view, permissions: permissionsOf(user.roles) };
}

async function assertEmailFree(tx: TxPort, email: string, selfId: string | null): Promise<void> {
  const others = (await tx.findBy('users', 'email', email)).filter((u) => u.id !== selfId);
  if (others.length > 0) throw fieldError('DUPLICATE', 'email', 'Another user already signs in with this email');
}

export async function createUser(tx: TxPort, a: Args<'users.create'>): Promise<Out<'users.create'>> {
  if (await tx.get('users', a.id)) throw new DomainError('DUPLICATE', 'A user with this id already exists');
  await assertEmailFree(tx, a.email, null);
  const now = tx.now();
  await tx.insert('users', {
    id: a.id,
    email: a.email,
    name: a.name,
    roles: a.roles,
    passwordHash: a.passwordHash,
    active: true,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  return { id: a.id, version: 1 };
}

export async function updateUser(tx: TxPort, a: Args<'users.update'>): Promise<Out<'users.update'>> {
  const user = await requireRow(tx, 'users', a.id, 'This user');
  checkVersion(user, a.expectedVersion, 'This user');
  if (a.id === tx.actor.userId && !a.active) {
    throw fieldError('CONFLICT', 'active', "You can't deactivate yourself; ask another administrator");
  }
  const losesAdmin = user.active && user.roles.includes('ADMIN') && (!a.active || !a.roles.includes('ADMIN'));
  if (losesAdmin) {
    const admins = await activeAdminCount(tx);
    if (admins <= 1) {
      throw fieldError('CONFLICT', a.active ? 'roles' : 'active', 'Keep at least one active administrator in the workspace');
    }
  }
  const next = revise(tx, user, { name: a.name, roles: a.roles, active: a.active });
  await tx.update('users', next);
  return { id: next.id, version: next.version };
}

async function activeAdminCount(tx: TxPort): Promise<number> {
  const active = await tx.findBy('users', 'active', true);
  return active.filter((u) => u.roles.includes('ADMIN')).length;
}

export async function resetPassword(tx: TxPort, a: Args<'users.resetPassword'>): Promise<Out<'users.resetPassword'>> {
  const user = await requireRow(tx, 'users', a.id, 'This user');
  const next = revise(tx, user, { passwordHash: a.passwordHash });
  await tx.update('users', next);
  return { id: next.id, version: next.version };
}

export async function changeOwnPassword(tx: TxPort, a: Args<'users.changeOwnPassword'>): Promise<Out<'users.changeOwnPassword'>> {
  if (a.id !== tx.actor.userId) throw new DomainError('NOT_AUTHORIZED', 'You can only change your own password here');
  const user = await requireRow(tx, 'users', a.id, 'Your user');
  const next = revise(tx, user, { passwordHash: a.passwordHash });
  await tx.update('users', next);
  return { id: next.id, version: next.version };
}
