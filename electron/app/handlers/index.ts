import { DomainError } from '../../../shared/domain/errors.ts';
import type { EntityName } from '../../../shared/domain/port.ts';
import { can, type Permission } from '../../../shared/domain/roles.ts';
import { carrierViewSchema } from '../../../shared/domain/carriers/schema.ts';
import type { ReadHandlers } from '../context.ts';
import { getCarrierRow, listCarriers } from '../../engine/queries/carriers.ts';
import { getCustomer, listCustomers } from '../../engine/queries/customers.ts';
import { readGridPrefs, recordHistory, writeGridPrefs } from '../../engine/queries/records.ts';
import { listUsers } from '../../engine/queries/users.ts';
import { sessionCurrent, signIn, signOut } from './session.ts';

/** Reading a record's history needs the permission to read the record itself. */
const HISTORY_PERMISSION: Record<EntityName, Permission> = {
  workspaces: 'users.manage',
  users: 'users.manage',
  customers: 'customers.read',
  carriers: 'carriers.read',
};

export const readHandlers = {
  'session.current': sessionCurrent,
  'session.signIn': signIn,
  'session.signOut': signOut,
  'users.list': (_input, ctx) => listUsers(ctx.engine.db),
  'customers.list': (input, ctx) => listCustomers(ctx.engine.db, input),
  'customers.get': (input, ctx) => getCustomer(ctx.engine.db, input.id),
  'carriers.list': (input, ctx) => listCarriers(ctx.engine.db, input),
  'carriers.get': (input, ctx) => carrierViewSchema.parse(getCarrierRow(ctx.engine.db, input.id)),
  'carriers.revealBankAccount': async (input, ctx) => {
    const row = getCarrierRow(ctx.engine.db, input.id);
    if (!row.bankAccountSealed || !ctx.actor) throw new DomainError('NOT_FOUND', 'This carrier has no bank account on file');
    const accountNumber = ctx.engine.openSecret(row.bankAccountSealed);
    await ctx.engine.recordAccess(ctx.actor, 'carriers.revealBankAccount', 'carriers', row.id);
    return { accountNumber };
  },
  'audit.history': (input, ctx) => {
    if (!ctx.user || !can(ctx.user.roles, HISTORY_PERMISSION[input.entity])) {
      throw new DomainError('NOT_AUTHORIZED', 'Your role does not allow seeing this history');
    }
    return recordHistory(ctx.engine.db, input.entity, input.id);
  },
  'prefs.getGrid': (input, ctx) => readGridPrefs(ctx.engine.db, ctx.user?.id ?? '', input.grid),
  'prefs.setGrid': async (input, ctx) => {
    const userId = ctx.user?.id;
    if (!userId) throw new DomainError('NOT_SIGNED_IN', 'Sign in first');
    await ctx.engine.writeLocal((db) => writeGridPrefs(db, userId, input.grid, input.prefs));
    return {};
  },
} satisfies ReadHandlers;
