import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDITABLE, EVENT_FOR, TRACKABLE, canTransition } from '../../shared/domain/loads/lifecycle.ts';
import type { LoadStatus } from '../../shared/domain/loads/schema.ts';
import { carrierInput, customerInput, loadInput } from '../support/fixtures.ts';
import { openHost, setUpWorkspace, tempDir, type TestHost } from '../support/engine.ts';

/**
 * Property: whatever sequence of commands dispatchers and a controller send (bookings of a
 * compliant carrier and of one whose insurance lapsed, credit overrides, moves, cancellations, check
 * calls, edits), a load only ever moves along the lifecycle, every accepted command leaves exactly
 * one tracking event, a refused one leaves nothing, and the events tell the whole story in order.
 */
type Command =
  | { kind: 'book' }
  | { kind: 'bookLapsed' }
  | { kind: 'override' }
  | { kind: 'transition'; to: 'DISPATCHED' | 'IN_TRANSIT' | 'DELIVERED' | 'INVOICED' | 'CLOSED' }
  | { kind: 'cancel'; tonu: boolean }
  | { kind: 'checkCall' }
  | { kind: 'edit' };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.constant<Command>({ kind: 'book' }),
  fc.constant<Command>({ kind: 'bookLapsed' }),
  fc.constant<Command>({ kind: 'override' }),
  fc.constantFrom('DISPATCHED', 'IN_TRANSIT', 'DELIVERED', 'INVOICED', 'CLOSED').map((to): Command => ({ kind: 'transition', to })),
  fc.boolean().map((tonu): Command => ({ kind: 'cancel', tonu })),
  fc.constant<Command>({ kind: 'checkCall' }),
  fc.constant<Command>({ kind: 'edit' }),
);

/** What the rules say should happen, from the status alone. */
function expected(status: LoadStatus, c: Command): LoadStatus | 'refused' | 'same' {
  switch (c.kind) {
    case 'book':
      return canTransition(status, 'BOOKED') ? 'BOOKED' : 'refused';
    case 'bookLapsed':
      return 'refused';
    case 'override':
      return status === 'PENDING' ? 'same' : 'refused';
    case 'transition':
      return canTransition(status, c.to) ? c.to : 'refused';
    case 'cancel':
      return canTransition(status, 'CANCELLED') && (!c.tonu || status === 'DISPATCHED') ? 'CANCELLED' : 'refused';
    case 'checkCall':
      return TRACKABLE.includes(status) ? 'same' : 'refused';
    case 'edit':
      return EDITABLE.includes(status) ? 'same' : 'refused';
  }
}

let cleanup: () => void;
let host: TestHost;
let customerId: string;
let carrierId: string;
let lapsedCarrierId: string;

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  host = openHost(t.dir);
  await setUpWorkspace(host);
  await host.ok('users.create', { email: 'd@x.test', name: 'Dee', roles: ['DISPATCHER'], password: 'a long password' });
  await host.ok('session.signIn', { email: 'd@x.test', password: 'a long password' }, 'd');
  customerId = (await host.ok('customers.create', customerInput({ creditLimitCents: 0 }))).id;
  await host.ok('customers.update', { ...customerInput({ creditLimitCents: 10_000_000_000 }), id: customerId, expectedVersion: 1 });
  carrierId = (await host.ok('carriers.create', carrierInput())).id;
  lapsedCarrierId = (await host.ok('carriers.create', carrierInput({
    companyName: 'Lapsed Lines', email: 'l@l.test', mcNumber: '222', dotNumber: '222', bankAccount: null,
    insurancePolicies: [{ type: 'AUTO_LIABILITY', insurer: 'A', policyNumber: '1', coverageCents: 100_000_000, expiresOn: '2026-01-31' }],
  }))).id;
  await host.ok('users.create', { email: 'c@x.test', name: 'Carl', roles: ['CONTROLLER'], password: 'a long password' });
  await host.ok('session.signIn', { email: 'c@x.test', password: 'a long password' }, 'c');
});

afterAll(async () => {
  await host.close();
  cleanup();
});

async function run(id: string, version: number, c: Command) {
  const base = { id, expectedVersion: version };
  switch (c.kind) {
    case 'book':
      return host.call('loads.book', { ...base, carrierId, carrierRateCents: 150_000 }, 'd');
    case 'bookLapsed':
      return host.call('loads.book', { ...base, carrierId: lapsedCarrierId, carrierRateCents: 150_000 }, 'd');
    case 'override':
      return host.call('loads.overrideCredit', { ...base, reason: 'Approved by the controller' }, 'c');
    case 'transition':
      return host.call('loads.transition', { ...base, to: c.to, occurredAt: '2026-12-02T10:00' }, 'd');
    case 'cancel':
      return host.call('loads.cancel', { ...base, reason: 'Shipper cancelled', tonuCents: c.tonu ? 15_000 : null }, 'd');
    case 'checkCall':
      return host.call('loads.checkCall', { id, location: { city: 'Ardmore', state: 'OK' }, status: 'EN_ROUTE', etaAt: '2026-12-02T12:00' }, 'd');
    case 'edit':
      return host.call('loads.update', { ...loadInput(customerId, { notes: `edit ${String(version)}` }), ...base }, 'd');
  }
}

describe('the load lifecycle under any sequence of commands', () => {
  it('never reaches an illegal state and never loses a tracking event', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
        const created = await host.ok('loads.create', loadInput(customerId), 'd');
        let status: LoadStatus = 'PENDING';
        let version = created.version;
        let accepted = 0;
        for (const c of commands) {
          const want = expected(status, c);
          const reply = await run(created.id, version, c);
          expect(reply.ok, `${c.kind} from ${status}`).toBe(want !== 'refused');
          const load = await host.ok('loads.get', { id: created.id });
          if (reply.ok) {
            accepted++;
            if (want !== 'same' && want !== 'refused') status = want;
            expect(load.version).toBe(version + 1);
            version = load.version;
          } else {
            expect(load.version).toBe(version);
          }
          expect(load.status).toBe(status);
        }
        const events = await host.ok('loads.events', { id: created.id });
        expect(events).toHaveLength(1 + accepted);
        // The status events chain: each starts where the previous one ended, along legal moves.
        let at: LoadStatus = 'PENDING';
        for (const event of events.filter((e) => e.toStatus !== null && e.type !== 'CREATED')) {
          expect(event.fromStatus).toBe(at);
          expect(canTransition(at, event.toStatus as LoadStatus)).toBe(true);
          expect(event.type).toBe(EVENT_FOR[event.toStatus as LoadStatus]);
          at = event.toStatus as LoadStatus;
        }
        expect(at).toBe(status);
      }),
      { numRuns: 60 },
    );
  });
});
