import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { carrierInput, customerInput } from '../support/fixtures.ts';
import { openHost, setUpWorkspace, tempDir, type TestHost } from '../support/engine.ts';

let cleanup: () => void;
let host: TestHost;

beforeEach(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  host = openHost(t.dir);
  await setUpWorkspace(host);
  await host.ok('users.create', { email: 'carl@x.test', name: 'Carl Controller', roles: ['CONTROLLER'], password: 'controller pass' });
  await host.ok('users.create', { email: 'ann@x.test', name: 'Ann AR', roles: ['AR_CLERK'], password: 'ar clerk password' });
  await host.ok('session.signIn', { email: 'carl@x.test', password: 'controller pass' }, 'controller');
  await host.ok('session.signIn', { email: 'ann@x.test', password: 'ar clerk password' }, 'ar');
});

afterEach(async () => {
  await host.close();
  cleanup();
});

describe('customer rules', () => {
  it('an AR clerk adds customers at $0 credit; a controller sets the limit', async () => {
    const { id } = await host.ok('customers.create', customerInput(), 'ar');
    const saved = await host.ok('customers.update', { ...customerInput({ creditLimitCents: 2_500_000 }), id, expectedVersion: 1 }, 'controller');
    expect(saved.version).toBe(2);
    expect((await host.ok('customers.get', { id })).creditLimitCents).toBe(2_500_000);
    // The clerk can still edit everything else, as long as the limit stays as the controller set it.
    await host.ok('customers.update', { ...customerInput({ creditLimitCents: 2_500_000, contactName: 'New Contact' }), id, expectedVersion: 2 }, 'ar');
  });

  it('credit hold: a controller puts it on and takes it off; anyone who edits customers can deactivate', async () => {
    const { id } = await host.ok('customers.create', customerInput());
    const held = await host.ok('customers.setStatus', { id, expectedVersion: 1, status: 'ON_HOLD' }, 'controller');
    expect(await host.call('customers.setStatus', { id, expectedVersion: held.version, status: 'ACTIVE' }, 'ar')).toMatchObject({
      ok: false,
      error: { code: 'NOT_AUTHORIZED' },
    });
    const released = await host.ok('customers.setStatus', { id, expectedVersion: held.version, status: 'ACTIVE' }, 'controller');
    const inactive = await host.ok('customers.setStatus', { id, expectedVersion: released.version, status: 'INACTIVE' }, 'ar');
    expect((await host.ok('customers.get', { id })).status).toBe('INACTIVE');
    // Deactivated, not deleted: still there, still found when asked for.
    expect((await host.ok('customers.list', { statuses: ['INACTIVE'] })).total).toBe(1);
    expect((await host.ok('customers.list', { statuses: ['ACTIVE', 'ON_HOLD'] })).total).toBe(0);
    // Setting the status it already has changes nothing.
    expect(await host.ok('customers.setStatus', { id, expectedVersion: inactive.version, status: 'INACTIVE' })).toEqual(inactive);
  });

  it('lists: filter by payment terms (checked like the status filter); sort by email, billing email and phone', async () => {
    await host.ok('customers.create', customerInput());
    await host.ok('customers.create', customerInput({ companyName: 'Bayou Paper Co', email: 'Orders@Bayou.test', billingEmail: 'zz-ap@bayou.test', phone: '214-555-0100', paymentTerms: 'NET_45' }));
    await host.ok('customers.create', customerInput({ companyName: 'Cactus Glass', email: 'buy@cactus.test', billingEmail: 'ap@cactus.test', phone: null, paymentTerms: 'DUE_ON_RECEIPT' }));
    const names = async (input: Parameters<typeof host.ok<'customers.list'>>[1]) => (await host.ok('customers.list', input)).rows.map((r) => r.companyName);
    expect(await names({ paymentTerms: ['NET_45'] })).toEqual(['Bayou Paper Co']);
    expect(await names({ paymentTerms: ['NET_30', 'DUE_ON_RECEIPT'] })).toEqual(['Acme Foods Inc.', 'Cactus Glass']);
    expect(await names({ paymentTerms: [] })).toHaveLength(3);
    expect((await host.ok('customers.list', { paymentTerms: ['NET_60'] })).total).toBe(0);
    // The terms filter goes with the others: Bayou on hold is out of an active-only list.
    const bayou = (await host.ok('customers.list', { search: 'bayou' })).rows[0];
    if (!bayou) throw new Error('Bayou not listed');
    await host.ok('customers.setStatus', { id: bayou.id, expectedVersion: 1, status: 'ON_HOLD' }, 'controller');
    expect(await names({ paymentTerms: ['NET_45'], statuses: ['ACTIVE'] })).toEqual([]);
    expect(await names({ paymentTerms: ['NET_45', 'NET_30'], statuses: ['ON_HOLD'] })).toEqual(['Bayou Paper Co']);
    for (const [bad, field] of [[['NET_90'], 'paymentTerms.0'], ['NET_30', 'paymentTerms'], [[null], 'paymentTerms.0'], [[1], 'paymentTerms.0']] as const) {
      const reply = await host.callRaw('customers.list', { paymentTerms: bad });
      expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(reply.ok ? {} : reply.error.fields).toHaveProperty([field]);
    }

    // Emails are kept lower-cased, so "Orders@Bayou" sorts as "orders@bayou".
    expect(await names({ sort: { field: 'email', dir: 'asc' } })).toEqual(['Acme Foods Inc.', 'Cactus Glass', 'Bayou Paper Co']);
    expect(await names({ sort: { field: 'email', dir: 'desc' } })).toEqual(['Bayou Paper Co', 'Cactus Glass', 'Acme Foods Inc.']);
    expect(await names({ sort: { field: 'billingEmail', dir: 'asc' } })).toEqual(['Cactus Glass', 'Acme Foods Inc.', 'Bayou Paper Co']);
    // Phones sort by their digits, whatever punctuation they were typed with (as text, "(214) 555-0142"
    // would come before "214-555-0100"); none on file first.
    expect(await names({ sort: { field: 'phone', dir: 'asc' } })).toEqual(['Cactus Glass', 'Bayou Paper Co', 'Acme Foods Inc.']);
    expect(await names({ sort: { field: 'phone', dir: 'desc' } })).toEqual(['Acme Foods Inc.', 'Bayou Paper Co', 'Cactus Glass']);
    expect(bayou).toMatchObject({ email: 'orders@bayou.test', billingEmail: 'zz-ap@bayou.test', phone: '214-555-0100' });
  });

  it('refuses an edit made against an old copy', async () => {
    const { id } = await host.ok('customers.create', customerInput());
    await host.ok('customers.update', { ...customerInput({ contactName: 'First' }), id, expectedVersion: 1 });
    const late = await host.call('customers.update', { ...customerInput({ contactName: 'Second' }), id, expectedVersion: 1 }, 'ar');
    expect(late).toMatchObject({ ok: false, error: { code: 'STALE_VERSION' } });
    expect((await host.ok('customers.get', { id })).contactName).toBe('First');
  });
});

describe('carrier rules', () => {
  it('MC and USDOT numbers are unique however they are typed', async () => {
    await host.ok('carriers.create', carrierInput({ mcNumber: 'MC-123456', dotNumber: 'USDOT 2345678' }));
    const dup = await host.call('carriers.create', carrierInput({ companyName: 'Copy', mcNumber: 'mc 123456', dotNumber: '2345678', bankAccount: null }));
    expect(dup).toMatchObject({
      ok: false,
      error: {
        code: 'DUPLICATE',
        fields: {
          mcNumber: 'MC-123456 belongs to Red River Trucking LLC',
          dotNumber: 'USDOT 2345678 belongs to Red River Trucking LLC',
          email: 'Red River Trucking LLC already uses this email',
        },
      },
    });
  });

  it('a carrier may keep its own numbers on edit; inactive carriers still hold theirs', async () => {
    const { id } = await host.ok('carriers.create', carrierInput());
    const edited = await host.ok('carriers.update', { ...carrierInput({ rating: 3.456 }), id, expectedVersion: 1 });
    expect((await host.ok('carriers.get', { id })).rating).toBe(3.46);
    await host.ok('carriers.setStatus', { id, expectedVersion: edited.version, status: 'INACTIVE' });
    expect(await host.call('carriers.create', carrierInput({ companyName: 'Reuse', bankAccount: null }))).toMatchObject({ ok: false, error: { code: 'DUPLICATE' } });
  });

  it('changing the bank account stamps when it changed; removing it keeps the carrier', async () => {
    const { id } = await host.ok('carriers.create', carrierInput({ bankAccount: null }));
    expect((await host.ok('carriers.get', { id })).bankChangedAt).toBeNull();
    const set = await host.ok('carriers.setBankAccount', {
      id,
      expectedVersion: 1,
      bankAccount: { routingNumber: '091000019', accountNumber: '55554444', accountType: 'CHECKING', holderName: 'Red River' },
    });
    const withBank = await host.ok('carriers.get', { id });
    expect(withBank).toMatchObject({ bankRoutingNumber: '091000019', bankAccountLast4: '4444', bankAccountType: 'CHECKING' });
    expect(withBank.bankChangedAt).not.toBeNull();
    await host.ok('carriers.setBankAccount', { id, expectedVersion: set.version, bankAccount: null });
    expect(await host.ok('carriers.get', { id })).toMatchObject({ bankRoutingNumber: null, bankAccountLast4: null, status: 'ACTIVE' });
  });

  it('lists: quick search over name, MC, USDOT, city; filters by equipment and service area; sorts', async () => {
    await host.ok('carriers.create', carrierInput());
    await host.ok('carriers.create', carrierInput({ companyName: 'Alpine Flatbed Co', email: 'ops@alpine.test', mcNumber: '818181', dotNumber: '919191', equipmentTypes: ['FLATBED'], serviceAreas: ['CO', 'UT'], address: { line1: '1 Peak', city: 'Denver', state: 'CO', zip: '80202' }, rating: 3, insurancePolicies: [], bankAccount: null }));
    const names = async (input: Parameters<typeof host.ok<'carriers.list'>>[1]) => (await host.ok('carriers.list', input)).rows.map((r) => r.companyName);
    expect(await names({ search: 'MC-818181' })).toEqual(['Alpine Flatbed Co']);
    expect(await names({ search: 'denver' })).toEqual(['Alpine Flatbed Co']);
    expect(await names({ search: 'river 2345678' })).toEqual(['Red River Trucking LLC']);
    expect(await names({ search: '100%' })).toEqual([]);
    expect(await names({ equipmentType: 'FLATBED' })).toEqual(['Alpine Flatbed Co']);
    expect(await names({ serviceArea: 'OK' })).toEqual(['Red River Trucking LLC']);
    expect(await names({ sort: { field: 'rating', dir: 'desc' } })).toEqual(['Red River Trucking LLC', 'Alpine Flatbed Co']);
    expect(await names({ sort: { field: 'companyName', dir: 'asc' }, limit: 1, offset: 1 })).toEqual(['Red River Trucking LLC']);
    const rows = (await host.ok('carriers.list', {})).rows;
    expect(rows.map((r) => r.insuranceExpiresOn)).toEqual([null, '2027-06-30']);
    expect(rows.map((r) => [r.contactName, r.email, r.phone])).toEqual([
      ['Sam Cole', 'ops@alpine.test', '405-555-0199'],
      ['Sam Cole', 'dispatch@redriver.test', '405-555-0199'],
    ]);
  });

  it('lists: sort by contact, email and phone', async () => {
    await host.ok('carriers.create', carrierInput());
    await host.ok('carriers.create', carrierInput({ companyName: 'Alpine Flatbed Co', contactName: 'bea Brandt', email: 'Ops@Alpine.test', phone: '(503) 555-0100', mcNumber: '818181', dotNumber: '919191', bankAccount: null }));
    await host.ok('carriers.create', carrierInput({ companyName: 'Zephyr Freight', contactName: 'Ana Park', email: 'zoe@zephyr.test', phone: null, mcNumber: '717171', dotNumber: '727272', bankAccount: null }));
    const names = async (field: 'contactName' | 'email' | 'phone', dir: 'asc' | 'desc') => (await host.ok('carriers.list', { sort: { field, dir } })).rows.map((r) => r.companyName);
    // Contact names sort without regard to case ("bea" between "Ana" and "Sam"); emails are kept lower-cased.
    expect(await names('contactName', 'asc')).toEqual(['Zephyr Freight', 'Alpine Flatbed Co', 'Red River Trucking LLC']);
    expect(await names('email', 'asc')).toEqual(['Red River Trucking LLC', 'Alpine Flatbed Co', 'Zephyr Freight']);
    expect(await names('email', 'desc')).toEqual(['Zephyr Freight', 'Alpine Flatbed Co', 'Red River Trucking LLC']);
    // By digits 405-555-0199 comes before (503) 555-0100 (as text "(" would come first); no phone first.
    expect(await names('phone', 'asc')).toEqual(['Zephyr Freight', 'Red River Trucking LLC', 'Alpine Flatbed Co']);
    expect(await names('phone', 'desc')).toEqual(['Alpine Flatbed Co', 'Red River Trucking LLC', 'Zephyr Freight']);
    expect(await host.callRaw('carriers.list', { sort: { field: 'bankAccountLast4', dir: 'asc' } })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('user rules', () => {
  it('an administrator can hand over: add a second admin, then step down', async () => {
    const session = await host.ok('session.current', {});
    const me = session.user;
    if (!me) throw new Error('not signed in');
    await host.ok('users.create', { email: 'bo@x.test', name: 'Bo Admin', roles: ['ADMIN'], password: 'second admin' });
    await host.ok('users.update', { id: me.id, expectedVersion: me.version, name: me.name, roles: ['CONTROLLER'], active: true });
    expect((await host.ok('session.current', {})).user?.roles).toEqual(['CONTROLLER']);
  });

  it('changing your own password needs the current one and takes effect at the next sign-in', async () => {
    await host.ok('users.changeOwnPassword', { currentPassword: 'ar clerk password', newPassword: 'a better passphrase' }, 'ar');
    await host.ok('session.signOut', {}, 'ar');
    expect(await host.call('session.signIn', { email: 'ann@x.test', password: 'ar clerk password' }, 'ar')).toMatchObject({ ok: false });
    await host.ok('session.signIn', { email: 'ann@x.test', password: 'a better passphrase' }, 'ar');
  });
});
