import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../db/password.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { carrierInput, customerInput, loadInput } from '../support/fixtures.ts';
import { newIncarnation } from '../../server/secrets.ts';
import { testBox } from '../server/support.ts';
import { Desktop, expectConverged, newId, startSyncServer, type SyncServer } from './support.ts';

/**
 * Several desktops, each an engine on its own SQLite file with its own sync client, against one
 * sync server over loopback HTTP. After every scenario, once quiet, every desktop equals the
 * server (for its scope), outboxes are empty and every mutation has exactly one result.
 */
let server: SyncServer;
let admin: Desktop;
const desktops: Desktop[] = [];
const open = (s: string) => testBox.open(s);

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function desktop(name: string, email: string): Promise<Desktop> {
  const d = new Desktop(name, { pollMs: 3_600_000 });
  desktops.push(d);
  await d.connect(server, email);
  return d;
}

async function addUser(email: string, name: string, roles: Role[]): Promise<void> {
  await admin.mutate('users.create', { id: newId(), email, name, roles, passwordHash: await hashPassword('a long password') });
  await admin.sync.syncNow();
}

beforeAll(async () => {
  server = await startSyncServer();
  admin = await desktop('admin', 'ada@lonestar.test');
  await addUser('dee@lonestar.test', 'Dee Dispatch', ['DISPATCHER']);
  await addUser('dan@lonestar.test', 'Dan Dispatch', ['DISPATCHER']);
  await addUser('pat@lonestar.test', 'Pat Payables', ['AP_CLERK']);
});

afterEach(async () => {
  for (const d of desktops) {
    d.online = true;
    await d.sync.syncNow();
  }
  for (const d of desktops) await d.sync.syncNow();
  await expectConverged(server, desktops, open);
});

afterAll(async () => {
  for (const d of desktops) await d.close();
  await server.close();
});

async function pendingLoad(by: Desktop): Promise<{ loadId: string; carriers: [string, string] }> {
  const customerId = newId();
  await by.mutate('customers.create', { ...customerInput({ email: `${customerId.slice(-8)}@acme.test`, creditLimitCents: 10_000_000 }), id: customerId });
  const carriers: [string, string] = [newId(), newId()];
  for (const [i, id] of carriers.entries()) {
    const tag = id.slice(-6);
    await by.mutate('carriers.create', {
      ...carrierInput({
        email: `c${tag}@carrier.test`,
        mcNumber: `MC-${String(100000 + Number.parseInt(tag, 16) % 800000)}`,
        dotNumber: String(1000000 + (Number.parseInt(tag, 16) % 8000000)),
        companyName: i === 0 ? `Red River ${tag}` : `Panhandle ${tag}`,
        insurancePolicies: [
          { type: 'AUTO_LIABILITY', insurer: 'Great West', policyNumber: 'AL-1', coverageCents: 100_000_000, expiresOn: day(365) },
          { type: 'CARGO', insurer: 'Great West', policyNumber: 'CG-1', coverageCents: 10_000_000, expiresOn: day(365) },
        ],
      }),
      id,
      bankAccount: { routingNumber: '021000021', accountNumber: `0001${String(Number.parseInt(tag, 16))}`, accountType: 'CHECKING', holderName: 'Carrier' },
    });
  }
  const loadId = newId();
  await by.mutate('loads.create', {
    ...loadInput(customerId, {
      origin: { line1: '1 Main', city: 'Dallas', state: 'TX', zip: '75202', windowStart: `${day(3)}T08:00`, windowEnd: `${day(3)}T12:00` },
      destination: { line1: '2 Main', city: 'Oklahoma City', state: 'OK', zip: '73102', windowStart: `${day(4)}T08:00`, windowEnd: `${day(4)}T16:00` },
    }),
    id: loadId,
  });
  await by.sync.syncNow();
  return { loadId, carriers };
}

describe('multi-desktop sync', () => {
  it('two dispatchers book the same load offline: one applies, the other lands in its inbox, both end with the winner', async () => {
    const dee = await desktop('dee', 'dee@lonestar.test');
    const dan = await desktop('dan', 'dan@lonestar.test');
    const { loadId, carriers } = await pendingLoad(admin);
    await dee.sync.syncNow();
    await dan.sync.syncNow();
    const version = dee.rows('loads').find((l) => l.id === loadId)?.version as number;

    dee.online = false;
    dan.online = false;
    await dee.mutate('loads.book', { id: loadId, expectedVersion: version, carrierId: carriers[0], carrierRateCents: 120_000, note: null });
    await dan.mutate('loads.book', { id: loadId, expectedVersion: version, carrierId: carriers[1], carrierRateCents: 110_000, note: null });
    expect(dan.rows('loads').find((l) => l.id === loadId)?.carrierId).toBe(carriers[1]);

    dee.online = true;
    await dee.sync.syncNow();
    dan.online = true;
    await dan.sync.syncNow();
    await dee.sync.syncNow();
    await admin.sync.syncNow();

    for (const d of [dee, dan, admin]) expect(d.rows('loads').find((l) => l.id === loadId)?.carrierId, d.name).toBe(carriers[0]);
    const issues = dan.issues();
    expect(issues).toHaveLength(1);
    expect(issues[0]?.name).toBe('loads.book');
    expect(issues[0]?.code).toMatch(/STALE_VERSION|ILLEGAL_TRANSITION/);
    expect(JSON.parse(issues[0]?.details ?? '{}')).toMatchObject({ conflict: { rowId: loadId, changedBy: 'Dee Dispatch', mutationName: 'loads.book' } });
    expect(dee.issues()).toHaveLength(0);
  });

  it('push responses dropped after the server committed, then retried: nothing is doubled', async () => {
    const dee = desktops.find((d) => d.name === 'dee') ?? (await desktop('dee', 'dee@lonestar.test'));
    const before = await server.count('customers');
    for (let i = 0; i < 5; i++) {
      await admin.mutate('customers.create', { ...customerInput({ email: `drop${String(i)}@acme.test` }), id: newId() });
    }
    admin.dropPushResponses = 2;
    await admin.sync.syncNow(); // the response is lost: the desktop thinks it is offline
    expect(admin.sync.status().state).toBe('offline');
    await admin.sync.syncNow(); // lost again
    await admin.sync.syncNow(); // answered: all five already processed
    expect(await server.count('customers')).toBe(before + 5);
    expect(admin.outboxSize()).toBe(0);
    await dee.sync.syncNow();
    expect(dee.rows('customers')).toHaveLength(before + 5);
  });

  it('an AP clerk receives bank account numbers; dispatchers only their last four digits', async () => {
    const pat = await desktop('pat', 'pat@lonestar.test');
    const { carriers } = await pendingLoad(admin);
    await pat.sync.syncNow();
    const mine = pat.rows('carriers').find((c) => c.id === carriers[0]);
    expect(pat.engine.openSecret(mine?.bankAccountSealed as string)).toMatch(/^0001/);
    const dee = desktops.find((d) => d.name === 'dee');
    await dee?.sync.syncNow();
    const theirs = dee?.rows('carriers').find((c) => c.id === carriers[0]);
    expect(theirs?.bankAccountSealed).toBeNull();
    expect(theirs?.bankAccountLast4).toMatch(/^\d{4}$/);
  });

  it("a paged pull never takes away a confirmed record that someone changed since, even for a moment", async () => {
    await addUser('ann@lonestar.test', 'Ann Receivables', ['AR_CLERK']);
    const ann = new Desktop('ann', { pollMs: 3_600_000, pullLimit: 3 });
    desktops.push(ann);
    await ann.connect(server, 'ann@lonestar.test');
    const x = newId();
    await ann.mutate('customers.create', { ...customerInput({ email: 'paged-x@acme.test' }), id: x });
    // Ann's creation reaches the server but the answer is lost, so it stays pending on her desk;
    // ten more customers follow, then the admin edits X, which moves X's change behind them.
    ann.dropPushResponses = 1;
    await ann.sync.syncNow();
    expect(ann.outboxSize()).toBe(1);
    // Each pushed alone, so each has a version (and can end a page) of its own.
    for (let i = 0; i < 10; i++) {
      await admin.mutate('customers.create', { ...customerInput({ email: `paged${String(i)}@acme.test` }), id: newId() });
      await admin.sync.syncNow();
    }
    const row = admin.rows('customers').find((c) => c.id === x);
    await admin.mutate('customers.update', { ...customerInput({ email: 'paged-x@acme.test', notes: 'Checked by Ada' }), id: x, expectedVersion: row?.version as number });
    await admin.sync.syncNow();
    const seen: boolean[] = [];
    const off = ann.engine.onChange(() => seen.push(ann.rows('customers').some((c) => c.id === x)));
    await ann.sync.syncNow();
    off();
    expect(seen.length).toBeGreaterThan(3);
    expect(seen, 'X present after each page').toEqual(seen.map(() => true));
    expect(ann.outboxSize()).toBe(0);
    expect(ann.rows('customers').find((c) => c.id === x)?.notes).toBe('Checked by Ada');
  });

  it('two customers swapping emails reach a desktop that pulls both changes at once, in one page or across pages', async () => {
    const dee = desktops.find((d) => d.name === 'dee') ?? (await desktop('dee', 'dee@lonestar.test'));
    const paged = new Desktop('dee-paged', { pollMs: 3_600_000, pullLimit: 1 });
    desktops.push(paged);
    await paged.connect(server, 'dee@lonestar.test');
    const [x, y] = [newId(), newId()];
    await admin.mutate('customers.create', { ...customerInput({ email: 'swap-x@acme.test' }), id: x });
    await admin.mutate('customers.create', { ...customerInput({ email: 'swap-y@acme.test' }), id: y });
    await admin.sync.syncNow();
    for (const d of [dee, paged]) await d.sync.syncNow();
    // X lets its email go, Y takes it, X takes Y's: the change log keeps Y's change, then X's.
    const edit = async (id: string, email: string) => {
      const row = admin.rows('customers').find((c) => c.id === id);
      await admin.mutate('customers.update', { ...customerInput({ email }), id, expectedVersion: row?.version as number });
      await admin.sync.syncNow();
    };
    await edit(x, 'swap-tmp@acme.test');
    await edit(y, 'swap-x@acme.test');
    await edit(x, 'swap-y@acme.test');
    for (const d of [dee, paged]) {
      await d.sync.syncNow();
      const held = d.rows('customers').filter((c) => c.id === x || c.id === y);
      expect(held.map((c) => [c.id, c.email]).sort(), d.name).toEqual(
        [
          [x, 'swap-y@acme.test'],
          [y, 'swap-x@acme.test'],
        ].sort(),
      );
    }
  });

  it('load numbers come from blocks the server leased to each workstation, so two offline desktops never collide', async () => {
    const dee = desktops.find((d) => d.name === 'dee') ?? (await desktop('dee', 'dee@lonestar.test'));
    const dan = desktops.find((d) => d.name === 'dan') ?? (await desktop('dan', 'dan@lonestar.test'));
    const customerId = admin.rows('customers')[0]?.id as string;
    dee.online = false;
    dan.online = false;
    const made: string[] = [];
    for (const d of [dee, dan]) {
      for (let i = 0; i < 3; i++) {
        const id = newId();
        await d.mutate('loads.create', { ...loadInput(customerId), id });
        made.push(d.rows('loads').find((l) => l.id === id)?.loadNumber as string);
      }
    }
    expect(new Set(made).size).toBe(6);
    const { rows } = await server.db.query<{ first: string; last: string; client_group_id: string }>('SELECT first, last, client_group_id FROM number_leases');
    for (const number of made) {
      const n = Number(number.slice(1));
      expect(rows.some((b) => Number(b.first) <= n && n <= Number(b.last)), number).toBe(true);
    }
    dee.online = true;
    dan.online = true;
    await dee.sync.syncNow();
    await dan.sync.syncNow();
    expect(dee.issues().filter((i) => i.name === 'loads.create')).toHaveLength(0);
    expect(dan.issues().filter((i) => i.name === 'loads.create')).toHaveLength(0);
  });

  it('a desktop the server does not support keeps its queue (VersionNotSupported) and drains once it speaks a supported version', async () => {
    const dee = desktops.find((d) => d.name === 'dee') ?? (await desktop('dee', 'dee@lonestar.test'));
    dee.schemaVersionOverride = 99;
    await dee.mutate('loads.create', { ...loadInput(admin.rows('customers')[0]?.id as string), id: newId() });
    expect(dee.outboxSize()).toBe(1);
    await dee.sync.syncNow();
    expect(dee.sync.status().state).toBe('updateRequired');
    expect(dee.outboxSize()).toBe(1);
    dee.schemaVersionOverride = null;
    await dee.sync.syncNow();
    expect(dee.sync.status().state).toBe('online');
    expect(dee.outboxSize()).toBe(0);
  });

  it('signs its user in offline with the verifier from the last online sign-in, and refuses a wrong password', async () => {
    const dee = desktops.find((d) => d.name === 'dee') ?? (await desktop('dee', 'dee@lonestar.test'));
    dee.online = false;
    await expect(dee.sync.signIn('dee@lonestar.test', 'a long password')).resolves.toMatchObject({ userId: dee.userId, offline: true });
    await expect(dee.sync.signIn('dee@lonestar.test', 'not her password')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(dee.sync.signIn('dan@lonestar.test', 'a long password')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    dee.online = true;
    await expect(dee.sync.signIn('dee@lonestar.test', 'a long password')).resolves.toMatchObject({ offline: false });
  });

  it('a server that answers "too many attempts" is not offline: the verifier kept on the workstation does not open it instead', async () => {
    const dan = desktops.find((d) => d.name === 'dan') ?? (await desktop('dan', 'dan@lonestar.test'));
    for (let i = 0; i < 3; i++) await expect(dan.sync.signIn('dan@lonestar.test', 'a wrong guess')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    // The server now makes this address wait (1 s after the third failure), even for the right password.
    await expect(dan.sync.signIn('dan@lonestar.test', 'a long password')).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: expect.stringMatching(/Too many failed sign-ins/) as unknown,
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect(dan.sync.signIn('dan@lonestar.test', 'a long password')).resolves.toMatchObject({ userId: dan.userId, offline: false });
  });

  it('a server restored from a backup: every desktop syncs again from the start, drops what the server lost, and its queue drains after the gap', async () => {
    const kim = new Desktop('kim', { pollMs: 3_600_000 });
    desktops.push(kim);
    await kim.connect(server, 'ada@lonestar.test');
    const [kept, lost, queued] = [newId(), newId(), newId()];
    const create = (id: string, email: string) => kim.mutate('customers.create', { ...customerInput({ email }), id });
    await create(kept, 'kept@restore.test');
    await kim.sync.syncNow();
    await create(lost, 'lost@restore.test');
    await kim.sync.syncNow();
    await admin.sync.syncNow();
    expect(admin.rows('customers').map((c) => c.id)).toContain(lost);
    const oldClient = kim.engine.clientId;
    kim.online = false;
    await create(queued, 'queued@restore.test');

    // The server goes back to a backup taken between the first and the second customer: that one,
    // its change, its audit entry and its result are gone, and the workstation's sequence ends at
    // 1. The administrator runs `after-restore` and starts the server again.
    await server.db.query('DELETE FROM customers WHERE id = $1', [lost]);
    await server.db.query('DELETE FROM change_log WHERE row_id = $1', [lost]);
    await server.db.query('DELETE FROM audit_log WHERE row_id = $1', [lost]);
    await server.db.query('DELETE FROM mutation_results WHERE client_id = $1 AND mutation_id > 1', [oldClient]);
    await server.db.query('UPDATE sync_clients SET last_mutation_id = 1 WHERE client_id = $1', [oldClient]);
    await newIncarnation(server.db);
    await server.restart();

    kim.online = true;
    // The first request after the restart may find its kept-alive connection gone, as after any
    // server restart; the desktop tries again (here at once instead of after its backoff).
    let status = await kim.sync.syncNow();
    if (status.state === 'offline') status = await kim.sync.syncNow();
    expect(status.state).toBe('online');
    expect(status.message).toMatch(/restored from a backup/);
    expect(kim.outboxSize()).toBe(0);
    expect(kim.engine.clientId).not.toBe(oldClient);
    expect(kim.rows('customers').map((c) => c.id)).toEqual(expect.arrayContaining([kept, queued]));
    expect(kim.rows('customers').map((c) => c.id)).not.toContain(lost);
    const applied = await server.db.query<{ client_id: string; mutation_id: string | number }>(
      "SELECT client_id, mutation_id FROM mutation_results WHERE name = 'customers.create' AND client_id IN ($1, $2) ORDER BY client_id, mutation_id",
      [oldClient, kim.engine.clientId],
    );
    expect(applied.rows.map((r) => [r.client_id, Number(r.mutation_id)])).toEqual([
      [oldClient, 1],
      [kim.engine.clientId, 1],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    expect(await server.count(`customers WHERE id = '${queued}'`)).toBe(1);
    // Another desktop, which had received the lost customer, starts over too and lets it go.
    await admin.sync.syncNow();
    expect((await admin.sync.syncNow()).state).toBe('online');
    expect(admin.rows('customers').map((c) => c.id)).not.toContain(lost);
  });

  it('a desktop offline for 5,000 mutations reconnects and drains them, each applied once', async () => {
    const customers = admin.rows('customers');
    const target = customers[0];
    admin.online = false;
    let version = target?.version as number;
    for (let i = 0; i < 5000; i++) {
      const saved = await admin.mutate('customers.update', {
        ...customerInput({ email: target?.email as string, creditLimitCents: 100_000 + i }),
        id: target?.id as string,
        expectedVersion: version,
      });
      version = saved.version;
    }
    expect(admin.outboxSize()).toBe(5000);
    admin.online = true;
    await admin.sync.syncNow();
    expect(admin.outboxSize()).toBe(0);
    const row = (await server.db.query<{ credit_limit_cents: string; version: string }>('SELECT credit_limit_cents, version FROM customers WHERE id = $1', [target?.id])).rows[0];
    expect(Number(row?.credit_limit_cents)).toBe(100_000 + 4999);
    expect(Number(row?.version)).toBe(version);
  }, 300_000);

  it('a queue of long notes goes to the server in pushes that each keep within the byte budget, every one applied once', async () => {
    const bodies: number[] = [];
    let self: Desktop | null = null;
    const d = new Desktop('notes', {
      pollMs: 3_600_000,
      pushBatchBytes: 20_000,
      fetch: (url, init) => {
        if (url.endsWith('/sync/push') && self?.online) bodies.push(Buffer.byteLength(init.body));
        return (self as Desktop).fetch(url, init);
      },
    });
    self = d;
    desktops.push(d);
    await d.connect(server, 'ada@lonestar.test');
    const id = newId();
    await d.mutate('customers.create', { ...customerInput({ email: 'notes@acme.test' }), id });
    await d.sync.syncNow();
    d.online = false;
    let version = (d.rows('customers').find((c) => c.id === id)?.version as number);
    // 2,000 characters of three bytes each: some 6 kB a mutation.
    for (let i = 0; i < 30; i++) {
      const saved = await d.mutate('customers.update', { ...customerInput({ email: 'notes@acme.test', notes: `${String(i)} ${'€'.repeat(1990)}` }), id, expectedVersion: version });
      version = saved.version;
    }
    d.online = true;
    bodies.length = 0;
    await d.sync.syncNow();
    expect(d.outboxSize()).toBe(0);
    expect(bodies.length).toBeGreaterThanOrEqual(10);
    // The budget is for the mutations; the envelope around them adds a few dozen bytes.
    for (const bytes of bodies) expect(bytes).toBeLessThan(20_000 + 200);
    const row = (await server.db.query<{ notes: string; version: string }>('SELECT notes, version FROM customers WHERE id = $1', [id])).rows[0];
    expect(row?.notes.startsWith('29 ')).toBe(true);
    expect(Number(row?.version)).toBe(version);
  });

  it('an access token that expired while offline is refreshed; a revoked session keeps the queue until the user signs in again', async () => {
    await addUser('ari@lonestar.test', 'Ari Receivables', ['AR_CLERK']);
    const ari = await desktop('ari', 'ari@lonestar.test');
    ari.online = false;
    await ari.mutate('customers.create', { ...customerInput({ email: 'expired1@acme.test' }), id: newId() });
    server.advance(2 * 3600_000); // the access token (15 min) has long expired
    ari.online = true;
    await ari.sync.syncNow();
    expect(ari.outboxSize()).toBe(0);

    // Now the whole session is revoked (its refresh-token family) while the desktop is offline.
    ari.online = false;
    await ari.mutate('customers.create', { ...customerInput({ email: 'expired2@acme.test' }), id: newId() });
    await server.db.query("UPDATE refresh_tokens SET revoked_at = '2000-01-01T00:00:00.000Z' WHERE user_id = $1", [ari.userId]);
    server.advance(2 * 3600_000);
    ari.online = true;
    await ari.sync.syncNow();
    expect(ari.sync.status().state).toBe('signInRequired');
    expect(ari.outboxSize()).toBe(1);
    await ari.sync.signIn('ari@lonestar.test', 'a long password');
    await ari.sync.syncNow();
    expect(ari.outboxSize()).toBe(0);
    expect((await server.db.query("SELECT 1 FROM customers WHERE email LIKE 'expired%'")).rows).toHaveLength(2);
  });
});

