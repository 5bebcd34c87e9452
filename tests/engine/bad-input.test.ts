import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/engine/engine.ts';
import { COMMAND_NAMES, contract, isMutation, type MutationName } from '../../shared/contract/index.ts';
import type { ErrorCode } from '../../shared/domain/errors.ts';
import { INVALID_ROUTING, carrierInput, customerInput, loadInput } from '../support/fixtures.ts';
import { openHost, setUpWorkspace, tempDir, type TestHost } from '../support/engine.ts';

/**
 * "A refused command writes nothing": for every mutation of the contract, bad input (garbage,
 * wrong types, out-of-range values) and inputs the business rules refuse leave every table, the
 * outbox and the audit log exactly as they were.
 */
interface Ctx {
  adminId: string;
  loadId: string;
  flatbedCarrierId: string;
  customerId: string;
  carrierId: string;
  otherUserId: string;
}

interface Case {
  label: string;
  input: unknown;
  /** Session to call from: the admin's unless named (`viewer`, `anonymous`). */
  session?: 'viewer' | 'anonymous' | 'arClerk' | 'dispatcher' | 'controller';
  code: ErrorCode;
  field?: string;
}

const garbage = (session?: Case['session']): Case[] => [
  { label: 'null', input: null, session, code: 'VALIDATION' },
  { label: 'a string', input: 'drop table customers', session, code: 'VALIDATION' },
  { label: 'an empty object', input: {}, session, code: 'VALIDATION' },
];

const CASES = {
  'workspace.setup': () => [
    { label: 'already set up', input: { workspaceName: 'Again', name: 'Eve', email: 'eve@x.test', password: 'long enough pw' }, session: 'anonymous', code: 'ALREADY_SET_UP' },
    { label: 'short password', input: { workspaceName: 'X', name: 'Eve', email: 'eve@x.test', password: 'short' }, session: 'anonymous', code: 'VALIDATION', field: 'password' },
    { label: 'garbage', input: 42, session: 'anonymous', code: 'VALIDATION' },
  ],
  'users.create': (c) => [
    ...garbage(),
    { label: 'duplicate email', input: { email: 'ada@lonestar.test', name: 'Ada Two', roles: ['VIEWER'], password: 'long enough pw' }, code: 'DUPLICATE', field: 'email' },
    { label: 'no roles', input: { email: 'n@x.test', name: 'No Roles', roles: [], password: 'long enough pw' }, code: 'VALIDATION', field: 'roles' },
    { label: 'unknown role', input: { email: 'n@x.test', name: 'N', roles: ['GOD'], password: 'long enough pw' }, code: 'VALIDATION', field: 'roles.0' },
    { label: 'by a viewer', input: { email: 'n@x.test', name: 'N', roles: ['ADMIN'], password: 'long enough pw' }, session: 'viewer', code: 'NOT_AUTHORIZED' },
    { label: 'an existing id', input: { id: c.otherUserId, email: 'n@x.test', name: 'N', roles: ['ADMIN'], password: 'long enough pw' }, code: 'DUPLICATE' },
  ],
  'users.update': (c) => [
    ...garbage(),
    { label: 'stale version', input: { id: c.otherUserId, expectedVersion: 9, name: 'X', roles: ['VIEWER'], active: true }, code: 'STALE_VERSION' },
    { label: 'deactivating yourself', input: { id: c.adminId, expectedVersion: 1, name: 'Ada Admin', roles: ['ADMIN'], active: false }, code: 'CONFLICT', field: 'active' },
    { label: 'removing the last admin', input: { id: c.adminId, expectedVersion: 1, name: 'Ada Admin', roles: ['VIEWER'], active: true }, code: 'CONFLICT', field: 'roles' },
    { label: 'unknown user', input: { id: '0190c5b0-0000-7000-8000-0000000000ff', expectedVersion: 1, name: 'X', roles: ['VIEWER'], active: true }, code: 'NOT_FOUND' },
  ],
  'users.resetPassword': (c) => [
    ...garbage(),
    { label: 'short password', input: { id: c.otherUserId, password: 'short' }, code: 'VALIDATION', field: 'password' },
    { label: 'unknown user', input: { id: '0190c5b0-0000-7000-8000-0000000000ff', password: 'long enough pw' }, code: 'NOT_FOUND' },
    { label: 'by a viewer', input: { id: c.otherUserId, password: 'long enough pw' }, session: 'viewer', code: 'NOT_AUTHORIZED' },
  ],
  'users.changeOwnPassword': () => [
    ...garbage(),
    { label: 'wrong current password', input: { currentPassword: 'not it at all', newPassword: 'brand new password' }, code: 'INVALID_CREDENTIALS', field: 'currentPassword' },
    { label: 'signed out', input: { currentPassword: 'x', newPassword: 'brand new password' }, session: 'anonymous', code: 'NOT_SIGNED_IN' },
  ],
  'customers.create': () => [
    ...garbage(),
    { label: 'bad email', input: customerInput({ email: 'ap@acme' }), code: 'VALIDATION', field: 'email' },
    { label: 'negative credit limit', input: customerInput({ creditLimitCents: -100 }), code: 'VALIDATION', field: 'creditLimitCents' },
    { label: 'fractional cents', input: customerInput({ creditLimitCents: 10.5 }), code: 'VALIDATION', field: 'creditLimitCents' },
    { label: 'bad state and ZIP', input: customerInput({ billingAddress: { line1: '1 A', city: 'B', state: 'ZZ' as 'TX', zip: '1' } }), code: 'VALIDATION', field: 'billingAddress.state' },
    { label: 'duplicate email', input: customerInput({ companyName: 'Dup' }), code: 'DUPLICATE', field: 'email' },
    { label: 'credit limit set by an AR clerk', input: customerInput({ email: 'new@x.test', creditLimitCents: 500_000 }), session: 'arClerk', code: 'NOT_AUTHORIZED', field: 'creditLimitCents' },
    { label: 'by a viewer', input: customerInput({ email: 'new@x.test' }), session: 'viewer', code: 'NOT_AUTHORIZED' },
  ],
  'customers.update': (c) => [
    ...garbage(),
    { label: 'stale version', input: { ...customerInput(), id: c.customerId, expectedVersion: 7 }, code: 'STALE_VERSION' },
    { label: 'bad billing email', input: { ...customerInput({ billingEmail: 'nope' }), id: c.customerId, expectedVersion: 1 }, code: 'VALIDATION', field: 'billingEmail' },
    { label: 'credit change by an AR clerk', input: { ...customerInput({ creditLimitCents: 1 }), id: c.customerId, expectedVersion: 1 }, session: 'arClerk', code: 'NOT_AUTHORIZED', field: 'creditLimitCents' },
    { label: 'unknown customer', input: { ...customerInput(), id: '0190c5b0-0000-7000-8000-0000000000ff', expectedVersion: 1 }, code: 'NOT_FOUND' },
  ],
  'customers.setStatus': (c) => [
    ...garbage(),
    { label: 'unknown status', input: { id: c.customerId, expectedVersion: 1, status: 'DELETED' }, code: 'VALIDATION', field: 'status' },
    { label: 'hold by an AR clerk', input: { id: c.customerId, expectedVersion: 1, status: 'ON_HOLD' }, session: 'arClerk', code: 'NOT_AUTHORIZED' },
    { label: 'stale version', input: { id: c.customerId, expectedVersion: 3, status: 'INACTIVE' }, code: 'STALE_VERSION' },
  ],
  'carriers.create': () => [
    ...garbage(),
    { label: 'invalid routing number', input: carrierInput({ mcNumber: '999', dotNumber: '999', bankAccount: { routingNumber: INVALID_ROUTING, accountNumber: '1234', accountType: 'CHECKING', holderName: 'X' } }), code: 'VALIDATION', field: 'bankAccount.routingNumber' },
    { label: 'duplicate MC', input: carrierInput({ dotNumber: '999' }), code: 'DUPLICATE', field: 'mcNumber' },
    { label: 'duplicate USDOT', input: carrierInput({ mcNumber: '999' }), code: 'DUPLICATE', field: 'dotNumber' },
    { label: 'no equipment', input: carrierInput({ mcNumber: '999', dotNumber: '999', equipmentTypes: [] }), code: 'VALIDATION', field: 'equipmentTypes' },
    { label: 'rating above 5', input: carrierInput({ mcNumber: '999', dotNumber: '999', rating: 7 }), code: 'VALIDATION', field: 'rating' },
    { label: 'policy without expiry', input: carrierInput({ mcNumber: '999', dotNumber: '999', insurancePolicies: [{ type: 'CARGO', insurer: 'A', policyNumber: 'B', coverageCents: 1, expiresOn: '2027-02-30' }] }), code: 'VALIDATION', field: 'insurancePolicies.0.expiresOn' },
    { label: 'duplicate email', input: carrierInput({ mcNumber: '999', dotNumber: '999' }), code: 'DUPLICATE', field: 'email' },
    { label: 'bank details by a dispatcher', input: carrierInput({ email: 'new@carrier.test', mcNumber: '999', dotNumber: '999' }), session: 'dispatcher', code: 'NOT_AUTHORIZED', field: 'bankAccount' },
    { label: 'by a viewer', input: carrierInput({ mcNumber: '999', dotNumber: '999', bankAccount: null }), session: 'viewer', code: 'NOT_AUTHORIZED' },
  ],
  'carriers.update': (c) => [
    ...garbage(),
    { label: 'stale version', input: { ...carrierInput(), bankAccount: undefined, id: c.carrierId, expectedVersion: 5 }, code: 'STALE_VERSION' },
    { label: 'MC of another carrier', input: { ...carrierInput({ mcNumber: '777777', dotNumber: '2345678' }), bankAccount: undefined, id: c.carrierId, expectedVersion: 1 }, code: 'DUPLICATE', field: 'mcNumber' },
    { label: 'bad USDOT', input: { ...carrierInput({ dotNumber: 'DOT-abc' }), bankAccount: undefined, id: c.carrierId, expectedVersion: 1 }, code: 'VALIDATION', field: 'dotNumber' },
  ],
  'carriers.setStatus': (c) => [
    ...garbage(),
    { label: 'unknown status', input: { id: c.carrierId, expectedVersion: 1, status: 'BANNED' }, code: 'VALIDATION', field: 'status' },
    { label: 'stale version', input: { id: c.carrierId, expectedVersion: 2, status: 'ON_HOLD' }, code: 'STALE_VERSION' },
    { label: 'by a viewer', input: { id: c.carrierId, expectedVersion: 1, status: 'ON_HOLD' }, session: 'viewer', code: 'NOT_AUTHORIZED' },
  ],
  'carriers.setBankAccount': (c) => [
    ...garbage(),
    { label: 'invalid routing number', input: { id: c.carrierId, expectedVersion: 1, bankAccount: { routingNumber: INVALID_ROUTING, accountNumber: '12345', accountType: 'CHECKING', holderName: 'X' } }, code: 'VALIDATION', field: 'bankAccount.routingNumber' },
    { label: 'letters in the account number', input: { id: c.carrierId, expectedVersion: 1, bankAccount: { routingNumber: '021000021', accountNumber: '12AB45', accountType: 'CHECKING', holderName: 'X' } }, code: 'VALIDATION', field: 'bankAccount.accountNumber' },
    { label: 'by an AR clerk', input: { id: c.carrierId, expectedVersion: 1, bankAccount: null }, session: 'arClerk', code: 'NOT_AUTHORIZED' },
    { label: 'by a dispatcher', input: { id: c.carrierId, expectedVersion: 1, bankAccount: null }, session: 'dispatcher', code: 'NOT_AUTHORIZED' },
  ],
  'loads.create': (c) => [
    ...garbage(),
    { label: 'unknown customer', input: loadInput('0190c5b0-0000-7000-8000-0000000000ff'), session: 'dispatcher', code: 'NOT_FOUND', field: 'customerId' },
    { label: 'bad ZIP', input: loadInput(c.customerId, { origin: { line1: '1', city: 'A', state: 'TX', zip: '7520', windowStart: '2026-12-01T08:00', windowEnd: '2026-12-01T09:00' } }), session: 'dispatcher', code: 'VALIDATION', field: 'origin.zip' },
    { label: 'delivery before pickup', input: loadInput(c.customerId, { destination: { line1: '1', city: 'A', state: 'OK', zip: '73102', windowStart: '2026-11-01T08:00', windowEnd: '2026-11-01T09:00' } }), session: 'dispatcher', code: 'VALIDATION', field: 'destination.windowEnd' },
    { label: 'hazmat without a UN number', input: loadInput(c.customerId, { cargo: { commodity: 'Paint', weightLbs: 1000, pieces: 1, hazmat: true } }), session: 'dispatcher', code: 'VALIDATION', field: 'cargo.hazmatUnNumber' },
    { label: 'negative linehaul', input: loadInput(c.customerId, { linehaulCents: -1 }), session: 'dispatcher', code: 'VALIDATION', field: 'linehaulCents' },
    { label: 'by a viewer', input: loadInput(c.customerId), session: 'viewer', code: 'NOT_AUTHORIZED' },
  ],
  'loads.update': (c) => [
    ...garbage(),
    { label: 'stale version', input: { ...loadInput(c.customerId), id: c.loadId, expectedVersion: 4 }, session: 'dispatcher', code: 'STALE_VERSION' },
    { label: 'zero weight', input: { ...loadInput(c.customerId, { cargo: { commodity: 'X', weightLbs: 0, pieces: 1, hazmat: false } }), id: c.loadId, expectedVersion: 1 }, session: 'dispatcher', code: 'VALIDATION', field: 'cargo.weightLbs' },
  ],
  'loads.book': (c) => [
    ...garbage('dispatcher'),
    { label: 'over the credit limit', input: { id: c.loadId, expectedVersion: 1, carrierId: c.carrierId, carrierRateCents: 100_000 }, session: 'dispatcher', code: 'CREDIT_LIMIT_EXCEEDED' },
    { label: 'a carrier without the equipment', input: { id: c.loadId, expectedVersion: 1, carrierId: c.flatbedCarrierId, carrierRateCents: 100_000 }, session: 'dispatcher', code: 'CARRIER_NOT_COMPLIANT', field: 'carrierId' },
    { label: 'stale version', input: { id: c.loadId, expectedVersion: 2, carrierId: c.carrierId, carrierRateCents: 100_000 }, session: 'dispatcher', code: 'STALE_VERSION' },
    { label: 'by an AR clerk', input: { id: c.loadId, expectedVersion: 1, carrierId: c.carrierId, carrierRateCents: 100_000 }, session: 'arClerk', code: 'NOT_AUTHORIZED' },
  ],
  'loads.overrideCredit': (c) => [
    ...garbage('controller'),
    { label: 'a reason too short', input: { id: c.loadId, expectedVersion: 1, reason: 'ok' }, session: 'controller', code: 'VALIDATION', field: 'reason' },
    { label: 'an administrator is not a controller', input: { id: c.loadId, expectedVersion: 1, reason: 'The customer always pays' }, code: 'NOT_AUTHORIZED' },
    { label: 'by a dispatcher', input: { id: c.loadId, expectedVersion: 1, reason: 'The customer always pays' }, session: 'dispatcher', code: 'NOT_AUTHORIZED' },
  ],
  'loads.transition': (c) => [
    ...garbage(),
    { label: 'pending straight to delivered', input: { id: c.loadId, expectedVersion: 1, to: 'DELIVERED', occurredAt: '2026-12-02T10:00' }, session: 'dispatcher', code: 'ILLEGAL_TRANSITION' },
    { label: 'not a time', input: { id: c.loadId, expectedVersion: 1, to: 'DISPATCHED', occurredAt: 'yesterday' }, session: 'dispatcher', code: 'VALIDATION', field: 'occurredAt' },
    { label: 'cancelled is its own command', input: { id: c.loadId, expectedVersion: 1, to: 'CANCELLED', occurredAt: '2026-12-02T10:00' }, session: 'dispatcher', code: 'VALIDATION', field: 'to' },
  ],
  'loads.cancel': (c) => [
    ...garbage(),
    { label: 'TONU before dispatch', input: { id: c.loadId, expectedVersion: 1, reason: 'Shipper cancelled', tonuCents: 20_000 }, session: 'dispatcher', code: 'CONFLICT', field: 'tonuCents' },
    { label: 'no reason', input: { id: c.loadId, expectedVersion: 1, reason: '' }, session: 'dispatcher', code: 'VALIDATION', field: 'reason' },
  ],
  'loads.checkCall': (c) => [
    ...garbage(),
    { label: 'a load not yet booked', input: { id: c.loadId, location: { city: 'Ardmore', state: 'OK' }, status: 'EN_ROUTE' }, session: 'dispatcher', code: 'ILLEGAL_TRANSITION' },
    { label: 'an unknown state', input: { id: c.loadId, location: { city: 'Ardmore', state: 'ZZ' }, status: 'EN_ROUTE' }, session: 'dispatcher', code: 'VALIDATION', field: 'location.state' },
  ],
} satisfies Record<MutationName, (c: Ctx) => Case[]>;

let dir: string;
let cleanup: () => void;
let host: TestHost;
let ctx: Ctx;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  host = openHost(dir);
  const admin = await setUpWorkspace(host);
  const customer = await host.ok('customers.create', customerInput());
  const carrier = await host.ok('carriers.create', carrierInput());
  await host.ok('carriers.create', carrierInput({ companyName: 'Other', email: 'other@carrier.test', mcNumber: '777777', dotNumber: '7777777', bankAccount: null }));
  const other = await host.ok('users.create', { email: 'vic@x.test', name: 'Vic Viewer', roles: ['VIEWER'], password: 'viewer password' });
  await host.ok('users.create', { email: 'ann@x.test', name: 'Ann AR', roles: ['AR_CLERK'], password: 'ar clerk password' });
  await host.ok('session.signIn', { email: 'vic@x.test', password: 'viewer password' }, 'viewer');
  await host.ok('users.create', { email: 'dan@x.test', name: 'Dan Dispatch', roles: ['DISPATCHER'], password: 'dispatcher password' });
  await host.ok('session.signIn', { email: 'ann@x.test', password: 'ar clerk password' }, 'arClerk');
  await host.ok('session.signIn', { email: 'dan@x.test', password: 'dispatcher password' }, 'dispatcher');
  await host.ok('users.create', { email: 'cy@x.test', name: 'Cy Controller', roles: ['CONTROLLER'], password: 'controller password' });
  await host.ok('session.signIn', { email: 'cy@x.test', password: 'controller password' }, 'controller');
  const flatbed = await host.ok('carriers.create', carrierInput({ companyName: 'Flat Out', email: 'flat@x.test', mcNumber: '888888', dotNumber: '8888888', equipmentTypes: ['FLATBED'], bankAccount: null }));
  const load = await host.ok('loads.create', loadInput(customer.id), 'dispatcher');
  ctx = { adminId: admin.id, customerId: customer.id, carrierId: carrier.id, otherUserId: other.id, loadId: load.id, flatbedCarrierId: flatbed.id };
});

afterAll(async () => {
  await host.close();
  cleanup();
});

function snapshot(): Record<string, unknown> {
  const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
  try {
    const tables = ['workspaces', 'users', 'customers', 'carriers', 'loads', 'load_events', 'number_blocks', 'outbox', 'audit_log', 'meta'];
    const counts = Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
    const versions = db.prepare("SELECT group_concat(id || ':' || version) AS v FROM (SELECT id, version FROM customers UNION ALL SELECT id, version FROM carriers UNION ALL SELECT id, version FROM users ORDER BY id)").get();
    const lastMutation = db.prepare("SELECT value FROM meta WHERE key = 'lastMutationId'").get();
    const numbers = db.prepare('SELECT series, next FROM number_blocks').all();
    return { counts, versions, lastMutation, numbers };
  } finally {
    db.close();
  }
}

describe('a refused command writes nothing', () => {
  it('covers every mutation of the contract', () => {
    expect(Object.keys(CASES).sort()).toEqual(COMMAND_NAMES.filter((n) => isMutation(contract[n])).sort());
  });

  for (const [name, cases] of Object.entries(CASES) as [MutationName, (c: Ctx) => Case[]][]) {
    it(`${name}: every refusal leaves rows, outbox and audit log untouched`, async () => {
      for (const c of cases(ctx)) {
        const before = snapshot();
        const reply = await host.callRaw(name, c.input, c.session ?? 'main');
        expect(reply.ok, `${name} / ${c.label} was accepted`).toBe(false);
        if (!reply.ok) {
          expect(reply.error.code, `${name} / ${c.label}: ${reply.error.message}`).toBe(c.code);
          expect(reply.error.message.length, `${name} / ${c.label} explains itself`).toBeGreaterThan(5);
          if (c.field) expect(Object.keys(reply.error.fields ?? {}), `${name} / ${c.label} names ${c.field}`).toContain(c.field);
        }
        expect(snapshot(), `${name} / ${c.label} wrote something`).toEqual(before);
      }
    });
  }
});
