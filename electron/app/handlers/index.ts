import { DomainError } from '../../../shared/domain/errors.ts';
import type { EntityName } from '../../../shared/domain/port.ts';
import { can, type Permission } from '../../../shared/domain/roles.ts';
import { carrierViewSchema } from '../../../shared/domain/carriers/schema.ts';
import type { ReadHandlers } from '../context.ts';
import { getCarrierRow, listCarriers } from '../../engine/queries/carriers.ts';
import { getCustomer, listCustomers } from '../../engine/queries/customers.ts';
import { readGridPrefs, recordHistory, writeGridPrefs } from '../../engine/queries/records.ts';
import { listUsers } from '../../engine/queries/users.ts';
import { carrierOptions, customerOptions, exportLoadsCsv, getLoadView, listLoads, loadTimeline, matchCarriers } from '../../engine/queries/loads.ts';
import { creditExposureCents } from '../../../shared/domain/loads/credit.ts';
import { milesBetween } from '../../../shared/domain/mutators/loads.ts';
import { sessionCurrent, signIn, signOut } from './session.ts';
import { syncConnect, syncDiscardIssue, syncIssues, syncNow, syncStatus } from './sync.ts';

/** Reading a record's history needs the permission to read the record itself. */
const HISTORY_PERMISSION: Record<EntityName, Permission> = {
  workspaces: 'users.manage',
  users: 'users.manage',
  customers: 'customers.read',
  carriers: 'carriers.read',
  loads: 'loads.read',
  loadEvents: 'loads.read',
};

export const readHandlers = {
  'session.current': sessionCurrent,
  'session.signIn': signIn,
  'session.signOut': signOut,
  'sync.status': syncStatus,
  'sync.connect': syncConnect,
  'sync.now': syncNow,
  'sync.issues': syncIssues,
  'sync.discardIssue': syncDiscardIssue,
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
  'loads.list': (input, ctx) => listLoads(ctx.engine.db, input),
  'loads.exportCsv': (input, ctx) => exportLoadsCsv(ctx.engine.db, input, ctx.engine.now().slice(0, 10)),
  'loads.get': (input, ctx) => getLoadView(ctx.engine.db, input.id),
  'loads.events': (input, ctx) => loadTimeline(ctx.engine.db, input.id),
  'loads.matches': (input, ctx) => matchCarriers(ctx.engine.db, input.id),
  'loads.estimate': (input, ctx) => {
    const port = ctx.engine.readPort();
    const place = (zip: string) => {
      const p = port.zipPlace(zip.slice(0, 5));
      return p ? { zip: p.zip, city: p.city, state: p.state } : null;
    };
    return { miles: milesBetween(port, input.originZip, input.destZip), origin: place(input.originZip), destination: place(input.destZip) };
  },
  'places.zip': (input, ctx) => {
    const p = ctx.engine.readPort().zipPlace(input.zip.slice(0, 5));
    return p ? { zip: p.zip, city: p.city, state: p.state } : null;
  },
  'customers.options': (input, ctx) => customerOptions(ctx.engine.db, input),
  'carriers.options': (input, ctx) => carrierOptions(ctx.engine.db, input),
  'customers.credit': async (input, ctx) => {
    const port = ctx.engine.readPort();
    const customer = await port.get('customers', input.id);
    if (!customer) throw new DomainError('NOT_FOUND', 'This customer was not found');
    const exposureCents = await creditExposureCents(port, customer.id);
    return { limitCents: customer.creditLimitCents, exposureCents, availableCents: customer.creditLimitCents - exposureCents };
  },
  'prefs.getGrid': (input, ctx) => readGridPrefs(ctx.engine.db, ctx.user?.id ?? '', input.grid),
  'prefs.setGrid': async (input, ctx) => {
    const userId = ctx.user?.id;
    if (!userId) throw new DomainError('NOT_SIGNED_IN', 'Sign in first');
    await ctx.engine.writeLocal((db) => writeGridPrefs(db, userId, input.grid, input.prefs));
    return {};
  },
} satisfies ReadHandlers;
