import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/engine/engine.ts';
import { carrierInput, customerInput, loadInput } from '../support/fixtures.ts';
import { openHost, setUpWorkspace, tempDir, type TestHost } from '../support/engine.ts';

let dir: string;
let cleanup: () => void;
let host: TestHost;
let customerId: string;
let carrierId: string;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  host = openHost(dir);
  await setUpWorkspace(host);
  for (const [email, name, roles] of [
    ['dee@x.test', 'Dee Dispatch', ['DISPATCHER']],
    ['carl@x.test', 'Carl Controller', ['CONTROLLER']],
    ['cora@x.test', 'Cora Controller', ['CONTROLLER', 'DISPATCHER']],
  ] as const) {
    await host.ok('users.create', { email, name, roles: [...roles], password: 'a long password' });
    await host.ok('session.signIn', { email, password: 'a long password' }, email.split('@')[0]);
  }
  customerId = (await host.ok('customers.create', customerInput())).id;
  await host.ok('customers.update', { ...customerInput({ creditLimitCents: 1_000_000 }), id: customerId, expectedVersion: 1 });
  carrierId = (await host.ok('carriers.create', carrierInput({ serviceAreas: ['TX', 'OK'] }))).id;
});

afterEach(async () => {
  await host.close();
  cleanup();
});

async function newLoad(overrides: Parameters<typeof loadInput>[1] = {}) {
  return host.ok('loads.create', loadInput(customerId, overrides), 'dee');
}

async function book(id: string, version: number, carrier = carrierId, rate = 140_000, session = 'dee') {
  return host.call('loads.book', { id, expectedVersion: version, carrierId: carrier, carrierRateCents: rate }, session);
}

describe('load numbers', () => {
  it('come from the workstation block, contiguous, and a refused create uses none', async () => {
    const a = await newLoad();
    expect(a.loadNumber).toBe('L100001');
    const refused = await host.call('loads.create', loadInput(customerId, { linehaulCents: -5 }), 'dee');
    expect(refused.ok).toBe(false);
    const onHoldCustomer = (await host.ok('customers.create', customerInput({ email: 'h@x.test' }))).id;
    await host.ok('customers.setStatus', { id: onHoldCustomer, expectedVersion: 1, status: 'ON_HOLD' }, 'carl');
    expect(await host.call('loads.create', loadInput(onHoldCustomer), 'dee')).toMatchObject({ ok: false, error: { code: 'CUSTOMER_ON_HOLD' } });
    const b = await newLoad();
    expect(b.loadNumber).toBe('L100002');
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    expect(db.prepare('SELECT series, first, last, next, source FROM number_blocks').all()).toEqual([
      { series: 'LOAD', first: 100001, last: 101000, next: 100003, source: 'LOCAL' },
    ]);
    const args = JSON.parse((db.prepare("SELECT args FROM outbox WHERE name = 'loads.create' ORDER BY id DESC").get() as { args: string }).args) as { loadNumber: string };
    expect(args.loadNumber).toBe('L100002');
    db.close();
  });

  it('a full block gives way to the next one', async () => {
    const db = new Database(join(dir, DATABASE_FILE));
    db.prepare("INSERT INTO number_blocks VALUES ('LOAD', 100001, 100002, 100003, 'LOCAL')").run();
    db.close();
    expect((await newLoad()).loadNumber).toBe('L100003');
    expect((await newLoad()).loadNumber).toBe('L100004');
  });
});

describe('a new load', () => {
  it('totals the customer rate, estimates the miles offline, and records its creation', async () => {
    const { id } = await newLoad({ accessorials: [{ code: 'LUMPER', amountCents: 7_500 }] });
    const load = await host.ok('loads.get', { id });
    expect(load).toMatchObject({ status: 'PENDING', customerTotalCents: 182_500, customerName: 'Acme Foods Inc.', carrierName: null, originCity: 'Dallas', destState: 'OK' });
    // Dallas 75202 → Oklahoma City 73102: about 190 miles by road.
    expect(load.miles).toBeGreaterThan(170);
    expect(load.miles).toBeLessThan(230);
    expect(load.customerRpmCents).toBe(Math.floor((182_500 * 2 + (load.miles ?? 1)) / (2 * (load.miles ?? 1))));
    const events = await host.ok('loads.events', { id });
    expect(events).toMatchObject([{ type: 'CREATED', toStatus: 'PENDING', actorName: 'Dee Dispatch' }]);
  });

  it('refuses bad stops and cargo with field errors', async () => {
    const reply = await host.call(
      'loads.create',
      loadInput(customerId, {
        destination: { line1: 'X', city: 'Y', state: 'OK', zip: '73102', windowStart: '2026-11-30T08:00', windowEnd: '2026-11-30T07:00' },
        cargo: { commodity: 'Acid', weightLbs: 1000, pieces: 1, hazmat: true },
      }),
      'dee',
    );
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(Object.keys(reply.error.fields ?? {}).sort()).toEqual(['cargo.hazmatUnNumber', 'destination.windowEnd']);
  });
});

describe('booking guards', () => {
  it('refuses a carrier whose insurance expired before pickup, then books a compliant one with the rate at tender', async () => {
    const load = await newLoad();
    const expired = await host.ok('carriers.create', carrierInput({
      companyName: 'Lapsed Lines', email: 'l@l.test', mcNumber: '222', dotNumber: '222', bankAccount: null,
      insurancePolicies: [
        { type: 'AUTO_LIABILITY', insurer: 'A', policyNumber: '1', coverageCents: 100_000_000, expiresOn: '2026-11-30' },
        { type: 'CARGO', insurer: 'A', policyNumber: '2', coverageCents: 10_000_000, expiresOn: '2027-11-30' },
      ],
    }));
    const refused = await book(load.id, 1, expired.id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'CARRIER_NOT_COMPLIANT', message: 'Lapsed Lines can\'t haul L100001: Auto liability insurance expired 2026-11-30, before pickup on 2026-12-01.' } });
    const booked = await book(load.id, 1);
    expect(booked.ok).toBe(true);
    const view = await host.ok('loads.get', { id: load.id });
    expect(view).toMatchObject({ status: 'BOOKED', carrierName: 'Red River Trucking LLC', carrierRateCents: 140_000, marginCents: 35_000 });
    expect(view.rateAtTender).toMatchObject({ carrierRateCents: 140_000, customerTotalCents: 175_000, carrierName: 'Red River Trucking LLC' });
    // The snapshot stays as agreed when the load is edited later.
    await host.ok('loads.update', { ...loadInput(customerId, { linehaulCents: 160_000 }), id: load.id, expectedVersion: view.version }, 'dee');
    const edited = await host.ok('loads.get', { id: load.id });
    expect(edited.marginCents).toBe(45_000);
    expect(edited.rateAtTender?.customerTotalCents).toBe(175_000);
  });

  it('names every problem: status, authority, coverage, equipment', async () => {
    const load = await newLoad({ equipmentType: 'REEFER' });
    const bad = await host.ok('carriers.create', carrierInput({
      companyName: 'Bad Co', email: 'b@b.test', mcNumber: '333', dotNumber: '333', bankAccount: null, equipmentTypes: ['FLATBED'], authorityStatus: 'REVOKED',
      insurancePolicies: [{ type: 'AUTO_LIABILITY', insurer: 'A', policyNumber: '1', coverageCents: 75_000_000, expiresOn: '2027-01-01' }],
    }));
    await host.ok('carriers.setStatus', { id: bad.id, expectedVersion: 1, status: 'ON_HOLD' });
    const reply = await book(load.id, 1, bad.id);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('CARRIER_NOT_COMPLIANT');
    for (const part of ['Bad Co is on hold', 'Operating authority is revoked', 'Auto liability coverage is below $1,000,000.00', 'No cargo insurance on file', 'Does not run reefer']) {
      expect(reply.error.message).toContain(part);
    }
  });

  it('refuses a customer put on hold after the load was entered', async () => {
    const load = await newLoad();
    await host.ok('customers.setStatus', { id: customerId, expectedVersion: 2, status: 'ON_HOLD' }, 'carl');
    expect(await book(load.id, 1)).toMatchObject({ ok: false, error: { code: 'CUSTOMER_ON_HOLD' } });
  });

  it('refuses a load over the credit limit until a controller (not its creator) records an override', async () => {
    // Limit $10,000: two $1,750 loads booked are $3,500 of exposure; a $7,000 load would make $10,500.
    for (let i = 0; i < 2; i++) {
      const l = await newLoad();
      expect((await book(l.id, 1)).ok).toBe(true);
    }
    expect((await host.ok('customers.credit', { id: customerId })).exposureCents).toBe(350_000);
    const big = await newLoad({ linehaulCents: 650_000, fuelSurchargeCents: 50_000 });
    const refused = await book(big.id, 1);
    expect(refused).toMatchObject({ ok: false, error: { code: 'CREDIT_LIMIT_EXCEEDED' } });
    if (!refused.ok) expect(refused.error.message).toContain('$10,500.00 of exposure, over its $10,000.00 credit limit');

    expect(await host.call('loads.overrideCredit', { id: big.id, expectedVersion: 1, reason: 'Paid early for two years' }, 'dee')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORIZED' } });
    // A controller who also dispatches and entered the load may not approve its own override.
    const own = await host.ok('loads.create', loadInput(customerId, { linehaulCents: 900_000 }), 'cora');
    expect(await host.call('loads.overrideCredit', { id: own.id, expectedVersion: 1, reason: 'I trust this customer a lot' }, 'cora')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORIZED' } });

    const override = await host.ok('loads.overrideCredit', { id: big.id, expectedVersion: 1, reason: 'Paid early for two years' }, 'carl');
    expect((await book(big.id, override.version)).ok).toBe(true);
    const events = await host.ok('loads.events', { id: big.id });
    expect(events.map((e) => e.type)).toEqual(['CREATED', 'CREDIT_OVERRIDE', 'BOOKED']);
    expect(events[1]).toMatchObject({ actorName: 'Carl Controller', note: expect.stringContaining('Paid early for two years') as unknown });
  });

  it('keeps the override to what the controller approved: the audit names it, and another customer, a bigger bill or more exposure need a new one', async () => {
    const big = await newLoad({ linehaulCents: 1_000_000 });
    const approved = await host.ok('loads.overrideCredit', { id: big.id, expectedVersion: 1, reason: 'Paid early for two years' }, 'carl');
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    const audit = db.prepare("SELECT mutation_name, actor_user_id, after FROM audit_log WHERE entity = 'loads' AND row_id = ? ORDER BY id DESC").get(big.id) as { mutation_name: string; after: string };
    db.close();
    expect(audit.mutation_name).toBe('loads.overrideCredit');
    expect(JSON.stringify(audit.after)).toContain('Paid early for two years');

    // Raising the bill withdraws the override.
    const raised = await host.ok('loads.update', { ...loadInput(customerId, { linehaulCents: 1_100_000 }), id: big.id, expectedVersion: approved.version }, 'dee');
    expect((await host.ok('loads.get', { id: big.id })).creditOverride).toBeNull();
    expect(await book(big.id, raised.version)).toMatchObject({ ok: false, error: { code: 'CREDIT_LIMIT_EXCEEDED' } });
    const events = await host.ok('loads.events', { id: big.id });
    expect(events.at(-1)?.note).toContain('the credit override no longer applies');

    // A smaller bill keeps it.
    const again = await host.ok('loads.overrideCredit', { id: big.id, expectedVersion: raised.version, reason: 'Paid early for two years' }, 'carl');
    const lowered = await host.ok('loads.update', { ...loadInput(customerId, { linehaulCents: 1_050_000 }), id: big.id, expectedVersion: again.version }, 'dee');
    expect((await host.ok('loads.get', { id: big.id })).creditOverride).not.toBeNull();

    // Exposure booked since the approval is more than the controller agreed to.
    const other = await newLoad({ linehaulCents: 500_000 });
    await host.ok('loads.overrideCredit', { id: other.id, expectedVersion: 1, reason: 'Seasonal peak, approved' }, 'carl');
    expect((await book(other.id, 2)).ok).toBe(true);
    const refused = await book(big.id, lowered.version);
    expect(refused).toMatchObject({ ok: false, error: { code: 'CREDIT_LIMIT_EXCEEDED' } });
    if (!refused.ok) expect(refused.error.message).toContain('A controller must approve the new amount');

    // Another customer withdraws it too.
    const second = (await host.ok('customers.create', customerInput({ email: 'second@x.test', companyName: 'Second Co' }))).id;
    const renewed = await host.ok('loads.overrideCredit', { id: big.id, expectedVersion: lowered.version, reason: 'Paid early for two years' }, 'carl');
    await host.ok('loads.update', { ...loadInput(second, { linehaulCents: 1_050_000 }), id: big.id, expectedVersion: renewed.version }, 'dee');
    expect((await host.ok('loads.get', { id: big.id })).creditOverride).toBeNull();
  });

  it('refuses an override once the load is booked, an inactive carrier or authority, and an inactive customer', async () => {
    const load = await newLoad();
    const booked = await book(load.id, 1);
    if (!booked.ok) throw new Error(booked.error.message);
    expect(await host.call('loads.overrideCredit', { id: load.id, expectedVersion: booked.value.version, reason: 'Too late for this one' }, 'carl')).toMatchObject({ ok: false, error: { code: 'ILLEGAL_TRANSITION' } });

    const next = await newLoad();
    const idle = await host.ok('carriers.create', carrierInput({ companyName: 'Idle Freight', email: 'i@i.test', mcNumber: '444', dotNumber: '444', bankAccount: null, authorityStatus: 'INACTIVE' }));
    const idleReply = await book(next.id, 1, idle.id);
    expect(idleReply).toMatchObject({ ok: false, error: { code: 'CARRIER_NOT_COMPLIANT' } });
    if (!idleReply.ok) expect(idleReply.error.message).toContain('Operating authority is inactive');
    const gone = await host.ok('carriers.create', carrierInput({ companyName: 'Gone Carriers', email: 'g@g.test', mcNumber: '555', dotNumber: '555', bankAccount: null }));
    await host.ok('carriers.setStatus', { id: gone.id, expectedVersion: 1, status: 'INACTIVE' });
    const goneReply = await book(next.id, 1, gone.id);
    if (!goneReply.ok) expect(goneReply.error.message).toContain('Gone Carriers is inactive');
    expect(goneReply.ok).toBe(false);

    await host.ok('customers.setStatus', { id: customerId, expectedVersion: 2, status: 'INACTIVE' }, 'carl');
    const inactive = await book(next.id, 1);
    expect(inactive.ok).toBe(false);
    if (!inactive.ok) expect(inactive.error.message).toMatch(/inactive/i);
  });
});

describe('the lifecycle', () => {
  it('runs booked → dispatched → in transit → delivered with check calls, counts on-time delivery', async () => {
    const load = await newLoad();
    let v = 1;
    const step = async (to: 'DISPATCHED' | 'IN_TRANSIT' | 'DELIVERED', occurredAt: string) => {
      const r = await host.ok('loads.transition', { id: load.id, expectedVersion: v, to, occurredAt, location: { city: 'Dallas', state: 'TX' } }, 'dee');
      v = r.version;
    };
    const booked = await book(load.id, v);
    if (!booked.ok) throw new Error(booked.error.message);
    v = booked.value.version;
    await step('DISPATCHED', '2026-12-01T06:00');
    await step('IN_TRANSIT', '2026-12-01T09:30');
    const call = await host.ok('loads.checkCall', { id: load.id, location: { city: 'Ardmore', state: 'OK' }, status: 'DELAYED', etaAt: '2026-12-02T18:30', note: 'Traffic on I-35' }, 'dee');
    v = call.version;
    const late = await host.ok('loads.get', { id: load.id });
    expect(late).toMatchObject({ late: true, etaAt: '2026-12-02T18:30', lastLocationCity: 'Ardmore' });
    expect((await host.ok('loads.list', { lateOnly: true })).rows.map((r) => r.loadNumber)).toEqual(['L100001']);
    await step('DELIVERED', '2026-12-02T15:10');
    const delivered = await host.ok('loads.get', { id: load.id });
    expect(delivered).toMatchObject({ status: 'DELIVERED', late: false, deliveredAt: '2026-12-02T15:10', etaAt: null });
    expect(await host.ok('carriers.get', { id: carrierId })).toMatchObject({ loadsDelivered: 1, loadsOnTime: 1 });
    const events = await host.ok('loads.events', { id: load.id });
    expect(events.map((e) => e.type)).toEqual(['CREATED', 'BOOKED', 'DISPATCHED', 'PICKED_UP', 'CHECK_CALL', 'DELIVERED']);
    expect(events[4]).toMatchObject({ city: 'Ardmore', state: 'OK', checkCallStatus: 'DELAYED', note: 'Traffic on I-35' });
  });

  it('refuses illegal transitions with the next steps named', async () => {
    const load = await newLoad();
    const reply = await host.call('loads.transition', { id: load.id, expectedVersion: 1, to: 'DELIVERED', occurredAt: '2026-12-02T10:00' }, 'dee');
    expect(reply).toMatchObject({ ok: false, error: { code: 'ILLEGAL_TRANSITION', message: "Load L100001 is pending; it can't be marked delivered (next: booked or cancelled)." } });
    expect(await host.call('loads.checkCall', { id: load.id, location: { city: 'A', state: 'TX' }, status: 'ON_SCHEDULE' }, 'dee')).toMatchObject({ ok: false, error: { code: 'ILLEGAL_TRANSITION' } });
  });

  it('a TONU charge only after dispatch', async () => {
    const pending = await newLoad();
    expect(await host.call('loads.cancel', { id: pending.id, expectedVersion: 1, reason: 'Shipper cancelled', tonuCents: 25_000 }, 'dee')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', fields: { tonuCents: 'A TONU charge applies only once the truck was dispatched' } },
    });
    await host.ok('loads.cancel', { id: pending.id, expectedVersion: 1, reason: 'Shipper cancelled' }, 'dee');
    const dispatched = await newLoad();
    const booked = await book(dispatched.id, 1);
    if (!booked.ok) throw new Error('not booked');
    const d = await host.ok('loads.transition', { id: dispatched.id, expectedVersion: booked.value.version, to: 'DISPATCHED', occurredAt: '2026-12-01T06:00' }, 'dee');
    await host.ok('loads.cancel', { id: dispatched.id, expectedVersion: d.version, reason: 'Dock closed', tonuCents: 25_000 }, 'dee');
    expect(await host.ok('loads.get', { id: dispatched.id })).toMatchObject({ status: 'CANCELLED', tonuCents: 25_000, cancelReason: 'Dock closed' });
    // Cancelled loads no longer count against credit.
    expect((await host.ok('customers.credit', { id: customerId })).exposureCents).toBe(0);
  });
});

describe('the board', () => {
  it('searches by number, reference and city; filters and sorts in the engine', async () => {
    const a = await newLoad({ poNumber: 'PO-7788', origin: { line1: '1', city: 'Fort Worth', state: 'TX', zip: '76102', windowStart: '2026-12-02T05:00', windowEnd: '2026-12-02T06:00' } });
    const b = await newLoad({ equipmentType: 'REEFER' });
    await book(b.id, 1);
    const numbers = async (input: Parameters<typeof host.ok<'loads.list'>>[1]) => (await host.ok('loads.list', input)).rows.map((r) => r.loadNumber);
    expect(await numbers({ search: 'L100001' })).toEqual(['L100001']);
    expect(await numbers({ search: '100002' })).toEqual(['L100002']);
    expect(await numbers({ search: '7788' })).toEqual(['L100001']);
    expect(await numbers({ search: 'fort wor' })).toEqual(['L100001']);
    expect(await numbers({ search: 'oklahoma' })).toEqual(['L100002', 'L100001']);
    expect(await numbers({ search: '"); DROP TABLE loads; --' })).toEqual([]);
    // A search alone is counted in the search index: it agrees with the loads, edits included.
    expect((await host.ok('loads.list', { search: 'oklahoma', statuses: [] })).total).toBe(2);
    await host.ok('loads.update', { ...loadInput(customerId, { poNumber: 'PO-7788', origin: { line1: '1', city: 'Waco', state: 'TX', zip: '76701', windowStart: '2026-12-02T05:00', windowEnd: '2026-12-02T06:00' } }), id: a.id, expectedVersion: 1 }, 'dee');
    expect((await host.ok('loads.list', { search: 'fort wor' })).total).toBe(0);
    expect(await host.ok('loads.list', { search: 'waco' })).toMatchObject({ total: 1, rows: [{ loadNumber: 'L100001' }] });
    await host.ok('loads.update', { ...loadInput(customerId, { poNumber: 'PO-7788', origin: { line1: '1', city: 'Fort Worth', state: 'TX', zip: '76102', windowStart: '2026-12-02T05:00', windowEnd: '2026-12-02T06:00' } }), id: a.id, expectedVersion: 2 }, 'dee');
    expect(await numbers({ statuses: ['BOOKED'] })).toEqual(['L100002']);
    expect(await numbers({ equipmentType: 'REEFER' })).toEqual(['L100002']);
    expect(await numbers({ pickupFrom: '2026-12-02', pickupTo: '2026-12-03' })).toEqual(['L100001']);
    expect(await numbers({ originState: 'TX', destState: 'OK', sort: { field: 'pickupStart', dir: 'desc' } })).toEqual(['L100001', 'L100002']);
    expect(await numbers({ carrierId })).toEqual(['L100002']);
    expect(await numbers({ sort: { field: 'carrierName', dir: 'asc' } })).toEqual(['L100001', 'L100002']);
    const page = await host.ok('loads.list', { limit: 1, offset: 1, sort: { field: 'loadNumber', dir: 'asc' } });
    expect(page).toMatchObject({ total: 2, rows: [{ loadNumber: 'L100002', customerName: 'Acme Foods Inc.', carrierName: 'Red River Trucking LLC', marginCents: 35_000 }] });
    const c = await newLoad({ destination: { line1: '9', city: 'Tulsa', state: 'OK', zip: '74103', windowStart: '2026-12-05T08:00', windowEnd: '2026-12-05T12:00' } });
    expect(await numbers({ deliveryFrom: '2026-12-05', deliveryTo: '2026-12-05' })).toEqual([c.loadNumber]);
    expect(await numbers({ deliveryTo: '2026-12-04', sort: { field: 'loadNumber', dir: 'asc' } })).toEqual(['L100001', 'L100002']);
    expect(await numbers({ destState: 'OK', originState: null, statuses: ['PENDING'], sort: { field: 'loadNumber', dir: 'asc' } })).toEqual(['L100001', c.loadNumber]);
    expect(a.loadNumber).toBe('L100001');
  });

  it('exports the current view as CSV that a spreadsheet cannot be tricked by', async () => {
    await newLoad({ poNumber: '=HYPERLINK("x")' });
    const csv = await host.ok('loads.exportCsv', { search: '' });
    const lines = csv.csv.split('\r\n');
    expect(csv.rows).toBe(1);
    expect(lines[0]).toBe('Load,Status,Customer,Carrier,Origin,Pickup,Destination,Delivery,Equipment,Miles,Customer total,Carrier rate,Margin,ETA,Late,PO,BOL,PRO');
    expect(lines[1]).toContain('L100001,Pending,Acme Foods Inc.,,"Dallas, TX",2026-12-01 08:00,"Oklahoma City, OK"');
    expect(lines[1]).toContain('1750.00');
    expect(lines[1]?.endsWith(`"'=HYPERLINK(""x"")",,`)).toBe(true);
  });

  it('exports the columns the board shows, in its order', async () => {
    await newLoad({ bolNumber: 'BOL-77', proNumber: 'PRO-9' });
    const csv = await host.ok('loads.exportCsv', { columns: ['proNumber', 'loadNumber', 'etaAt', 'bolNumber'] });
    expect(csv.csv).toBe('PRO,Load,ETA,Late,BOL\r\nPRO-9,L100001,,,BOL-77\r\n');
    expect(await host.call('loads.exportCsv', { columns: [] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { columns: 'Show at least one column to export' } } });
    expect(await host.call('loads.exportCsv', { columns: ['loadNumber', 'loadNumber'] })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await host.callRaw('loads.exportCsv', { columns: ['bankAccount'] })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('carrier matching', () => {
  it('ranks compliant carriers with reasons and lists the others apart', async () => {
    const load = await newLoad();
    const local = await host.ok('carriers.create', carrierInput({ companyName: 'Texas Only', email: 't@t.test', mcNumber: '444', dotNumber: '444', serviceAreas: ['TX'], rating: 5, bankAccount: null }));
    const lapsed = await host.ok('carriers.create', carrierInput({
      companyName: 'Lapsed Lines', email: 'l@l.test', mcNumber: '555', dotNumber: '555', serviceAreas: ['TX', 'OK'], bankAccount: null,
      insurancePolicies: [{ type: 'CARGO', insurer: 'A', policyNumber: '2', coverageCents: 10_000_000, expiresOn: '2027-11-30' }],
    }));
    await host.ok('carriers.create', carrierInput({ companyName: 'Far Away', email: 'f@f.test', mcNumber: '666', dotNumber: '666', serviceAreas: ['WA'], bankAccount: null }));
    const matches = await host.ok('loads.matches', { id: load.id });
    expect(matches.ranked.map((r) => r.companyName)).toEqual(['Red River Trucking LLC', 'Texas Only']);
    expect(matches.ranked[0]?.reasons).toEqual(['Serves TX and OK', 'No deliveries with us yet', 'Rated 4.5']);
    expect(matches.ranked[1]?.reasons[0]).toBe('Serves TX only');
    expect(matches.excluded).toEqual([{ carrierId: lapsed.id, companyName: 'Lapsed Lines', mcNumber: '555', problems: ['No auto liability insurance on file'] }]);
    expect(local.id).toBeTruthy();
  });

  it('lists carriers that ran the lane but lack the equipment or were deactivated, with the reason', async () => {
    const usual = await host.ok('carriers.create', carrierInput({ companyName: 'Usual Haulers', email: 'u@u.test', mcNumber: '777', dotNumber: '777', equipmentTypes: ['DRY_VAN'], bankAccount: null }));
    const retired = await host.ok('carriers.create', carrierInput({ companyName: 'Retired Rigs', email: 'r@r.test', mcNumber: '888', dotNumber: '888', equipmentTypes: ['REEFER'], bankAccount: null }));
    for (const [carrier, equipmentType] of [[usual.id, 'DRY_VAN'], [retired.id, 'REEFER']] as const) {
      const ran = await newLoad({ equipmentType });
      const booked = await book(ran.id, 1, carrier);
      if (!booked.ok) throw new Error(booked.error.message);
      let v = booked.value.version;
      for (const to of ['DISPATCHED', 'IN_TRANSIT', 'DELIVERED'] as const) {
        v = (await host.ok('loads.transition', { id: ran.id, expectedVersion: v, to, occurredAt: '2026-12-01T09:00', location: { city: 'Dallas', state: 'TX' } }, 'dee')).version;
      }
    }
    await host.ok('carriers.setStatus', { id: retired.id, expectedVersion: 1, status: 'INACTIVE' });
    const reefer = await newLoad({ equipmentType: 'REEFER' });
    const matches = await host.ok('loads.matches', { id: reefer.id });
    expect(matches.ranked.map((r) => r.companyName)).not.toContain('Usual Haulers');
    expect(matches.excluded).toEqual(expect.arrayContaining([
      { carrierId: usual.id, companyName: 'Usual Haulers', mcNumber: '777', problems: ['Does not run reefer'] },
      { carrierId: retired.id, companyName: 'Retired Rigs', mcNumber: '888', problems: ['Retired Rigs is inactive'] },
    ]));
  });
});

describe('mileage', () => {
  it('estimates miles between two ZIPs offline and fills in places', async () => {
    const estimate = await host.ok('loads.estimate', { originZip: '90001', destZip: '10001' });
    expect(estimate.origin).toMatchObject({ city: 'Los Angeles', state: 'CA' });
    expect(estimate.destination).toMatchObject({ city: 'New York', state: 'NY' });
    // About 2,450 miles great-circle; ×1.2 ≈ 2,940 road miles.
    expect(estimate.miles).toBeGreaterThan(2800);
    expect(estimate.miles).toBeLessThan(3100);
    expect(await host.ok('places.zip', { zip: '00000' })).toBeNull();
  });
});
