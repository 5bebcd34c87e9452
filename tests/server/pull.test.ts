import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../db/password.ts';
import { CHANGE_VERSION_SQL } from '../../server/sync/change-order.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { rowChanges, SCHEMA_VERSION, type PullResponse, type PushResponse, type Tokens } from '../../shared/sync/protocol.ts';
import { wireColumns } from '../../shared/sync/rows.ts';
import { carrierInput, customerInput, loadInput } from '../support/fixtures.ts';
import { applyChanges, caughtUpCookie, envelope, latestVersion, pullPages, pushBody, serverProjection, startTestServer, type Envelope, type TestServer } from './support.ts';

/**
 * Pull (issue 4, "Protocol"; sync-anchors §11.6 invariants 3, 9, 13): paging on version
 * boundaries, results and last-mutation-ids that never run ahead of the changes, role scoping of
 * bank account numbers and password hashes, and workstations bound to their user.
 */

let server: TestServer;
let admin: Tokens;
const users: Partial<Record<Role, { id: string; tokens: Tokens }>> = {};
const ROLE_USERS: [Role, string, string][] = [
  ['DISPATCHER', 'dora@lonestar.test', 'Dora Dispatcher'],
  ['AR_CLERK', 'arnie@lonestar.test', 'Arnie Clerk'],
  ['AP_CLERK', 'penny@lonestar.test', 'Penny Payables'],
  ['CONTROLLER', 'carl@lonestar.test', 'Carl Controller'],
  ['VIEWER', 'vic@lonestar.test', 'Vic Viewer'],
];

beforeAll(async () => {
  // Each mutation commits alone, with a version of its own, so pages can be cut between any two.
  server = await startTestServer({ pushGroupSize: 1 });
  admin = await server.login('ada@lonestar.test');
  for (const [role, email, name] of ROLE_USERS) {
    const id = await server.addUser(email, [role], name);
    users[role] = { id, tokens: await server.login(email) };
  }
});
afterAll(async () => {
  await server.close();
});

function user(role: Role): { id: string; tokens: Tokens } {
  const u = role === 'ADMIN' ? { id: server.adminId, tokens: admin } : users[role];
  if (!u) throw new Error(`no ${role}`);
  return u;
}

async function push(token: string, clientGroupId: string, mutations: Envelope[]): Promise<PushResponse> {
  const r = await server.post<PushResponse>('/api/v1/sync/push', pushBody(clientGroupId, mutations), token);
  if (r.status !== 200) throw new Error(`push: ${String(r.status)} ${JSON.stringify(r.body)}`);
  return r.body;
}

let unique = 0;
const nextEmail = (prefix: string) => `${prefix}${String(++unique)}@acme.test`;

/** The change-log version of every row (what the server pages by). */
async function changeVersions(): Promise<Map<string, number>> {
  const { rows } = await server.db.query<{ entity: string; row_id: string; version: string | number }>('SELECT entity, row_id, version FROM change_log');
  return new Map(rows.map((r) => [`${r.entity}/${r.row_id}`, Number(r.version)]));
}

const keyOf = (change: ReturnType<typeof rowChanges>[number]) => (change.op === 'put' ? `${change.table}/${String(change.row.id)}` : `${change.table}/${change.id}`);

/** Several rows in one change version, as a mutation touching many rows would make (here: users, straight into the database). */
async function addUsersInOneVersion(count: number): Promise<void> {
  const hash = await hashPassword('a long password');
  await server.db.transaction(async (tx) => {
    const now = new Date().toISOString();
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      await tx.query(
        'INSERT INTO users (id, email, name, roles, password_hash, active, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, true, $6, $6, 1)',
        [id, `bulk${String(++unique)}@lonestar.test`, `Bulk ${String(i)}`, JSON.stringify(['VIEWER']), hash, now],
      );
      await tx.query(`INSERT INTO change_log (entity, row_id, op, version) VALUES ('users', $1, 'put', ${CHANGE_VERSION_SQL})`, [id]);
    }
  });
}

describe('paging', () => {
  it('sends every row exactly once, in pages cut on version boundaries, with cookies rising and remaining counted, then estimated, down to 0', async () => {
    const group = randomUUID();
    const clientId = randomUUID();
    let id = 0;
    const customerIds: string[] = [];
    const emails: string[] = [];
    // 30 customers in 6 pushes of 5 mutations (one row per version)...
    for (let batch = 0; batch < 6; batch++) {
      const mutations = Array.from({ length: 5 }, () => {
        const customerId = randomUUID();
        const email = nextEmail('page');
        customerIds.push(customerId);
        emails.push(email);
        return envelope(clientId, ++id, 'customers.create', { ...customerInput({ email }), id: customerId }, server.adminId);
      });
      const r = await push(admin.accessToken, group, mutations);
      expect(r.results.every((x) => x.status === 'applied')).toBe(true);
    }
    // ...8 loads (a load and its CREATED event: two rows per version)...
    const loads = Array.from({ length: 8 }, (_, i) =>
      envelope(clientId, ++id, 'loads.create', { ...loadInput(customerIds[i]!), id: randomUUID(), loadNumber: `L${String(200_001 + i)}` }, server.adminId),
    );
    expect((await push(admin.accessToken, group, loads)).results.every((x) => x.status === 'applied')).toBe(true);
    // ...5 customers changed again (their change moves to a later version)...
    const updates = customerIds.slice(0, 5).map((customerId, i) =>
      envelope(clientId, ++id, 'customers.update', { ...customerInput({ email: emails[i]!, notes: 'Second look' }), id: customerId, expectedVersion: 1 }, server.adminId),
    );
    expect((await push(admin.accessToken, group, updates)).results.map((x) => x.status)).toEqual(Array(5).fill('applied'));
    // ...and one version with more rows than a page holds.
    await addUsersInOneVersion(9);

    const limit = 7;
    const versions = await changeVersions();
    const rowsPerVersion = new Map<number, string[]>();
    for (const [key, v] of versions) rowsPerVersion.set(v, [...(rowsPerVersion.get(v) ?? []), key]);
    const largestVersion = Math.max(...[...rowsPerVersion.values()].map((keys) => keys.length));
    expect(largestVersion).toBe(9);

    const pages = await pullPages(server, admin.accessToken, randomUUID(), { limit });
    expect(pages.length).toBeGreaterThan(5);
    const seen = new Map<string, number>();
    let previousCookie = 0;
    let previousRemaining = versions.size;
    for (const [i, page] of pages.entries()) {
      const context = `page ${String(i)} (cookie ${String(page.cookie)})`;
      expect(page.cookie, context).toBeGreaterThan(previousCookie);
      expect(page.changes.length, context).toBeGreaterThan(0);
      expect(page.changes.length, context).toBeLessThanOrEqual(limit + largestVersion - 1);
      // The page holds exactly the rows whose change version lies in (previous cookie, cookie]:
      // no version split across pages, none skipped.
      const keys = rowChanges(page.changes).map(keyOf);
      const expected = [...versions].filter(([, v]) => v > previousCookie && v <= page.cookie).map(([key]) => key);
      expect(new Set(keys), context).toEqual(new Set(expected));
      // Each row once (a page is applied as a whole, in one desktop transaction: its order within
      // is not promised; the order between pages is).
      expect(keys.length, context).toBe(new Set(keys).size);
      for (const key of keys) seen.set(key, (seen.get(key) ?? 0) + 1);
      // The first page counts what is left exactly; later pages estimate it by the versions to come.
      if (i === 0) expect(page.remaining, context).toBe(previousRemaining - page.changes.length);
      expect(page.remaining, context).toBeLessThanOrEqual(previousRemaining);
      expect(page.remaining === 0, context).toBe(!page.more);
      expect(page.more, context).toBe(i < pages.length - 1);
      previousCookie = page.cookie;
      previousRemaining = page.remaining;
    }
    expect(previousRemaining).toBe(0);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(seen.keys())).toEqual(new Set(versions.keys()));
    // The last cookie covers every change there is, and no more than the server has finished.
    expect(previousCookie).toBeGreaterThanOrEqual(await latestVersion(server.db));
    expect(previousCookie).toBeLessThanOrEqual(await caughtUpCookie(server.db));

    // The replica built from the pages is the database, row for row.
    const replica = new Map<string, Record<string, unknown>>();
    for (const page of pages) applyChanges(replica, page.changes);
    expect(replica).toEqual(await serverProjection(server.db, ['ADMIN']));

    // Caught up: the next pull is empty; its cookie never goes back (it moves on as the server's
    // transactions do, changes or none).
    const again = await server.post<PullResponse>('/api/v1/sync/pull', { clientGroupId: randomUUID(), schemaVersion: SCHEMA_VERSION, cookie: previousCookie, limit }, admin.accessToken);
    expect(again.body).toMatchObject({ changes: [], more: false, remaining: 0 });
    expect(again.body.cookie).toBeGreaterThanOrEqual(previousCookie);
  });
});

describe('the next page, made while the one before travels', () => {
  async function pagesReadAhead(): Promise<number> {
    const metrics = await server.app.inject({ method: 'GET', url: '/metrics' });
    return Number(/^notchify_sync_pull_pages_read_ahead_total (\d+)/m.exec(metrics.body)?.[1] ?? Number.NaN);
  }
  async function pullOne(group: string, cookie: number, token = admin.accessToken): Promise<PullResponse> {
    const r = await server.post<PullResponse>('/api/v1/sync/pull', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie, limit: 1 }, token);
    if (r.status !== 200) throw new Error(`pull: ${String(r.status)} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  async function addCustomers(count: number): Promise<string[]> {
    const clientId = randomUUID();
    const ids = Array.from({ length: count }, () => randomUUID());
    const r = await push(admin.accessToken, randomUUID(), ids.map((id, i) => envelope(clientId, i + 1, 'customers.create', { ...customerInput({ email: nextEmail('ahead') }), id }, server.adminId)));
    expect(r.results.every((m) => m.status === 'applied')).toBe(true);
    return ids;
  }

  it('answers each page after the first of a pull with the page made ahead for it', async () => {
    const from = await caughtUpCookie(server.db);
    const ids = await addCustomers(3);
    const before = await pagesReadAhead();
    const pages = await pullPages(server, admin.accessToken, randomUUID(), { cookie: from, limit: 1 });
    expect(pages.flatMap((p) => rowChanges(p.changes).map(keyOf))).toEqual(ids.map((id) => `customers/${id}`));
    expect(await pagesReadAhead()).toBe(before + pages.length - 1);
  });

  it('makes the next page again when the workstation pushed meanwhile: its results and rows come in the same pull', async () => {
    const from = await caughtUpCookie(server.db);
    const [first, second] = await addCustomers(2);
    const group = randomUUID();
    const page1 = await pullOne(group, from);
    expect(page1.more).toBe(true);
    expect(rowChanges(page1.changes).map(keyOf)).toEqual([`customers/${first!}`]);
    // The last page is being made ahead now. The workstation pushes a mutation of its own first.
    const clientId = randomUUID();
    const mine = randomUUID();
    const pushed = await push(admin.accessToken, group, [envelope(clientId, 1, 'customers.create', { ...customerInput({ email: nextEmail('ahead') }), id: mine }, server.adminId)]);
    expect(pushed.results[0]?.status).toBe('applied');
    const rest: PullResponse[] = [];
    for (let page = await pullOne(group, page1.cookie); ; page = await pullOne(group, page.cookie)) {
      rest.push(page);
      if (!page.more) break;
    }
    expect(rest.flatMap((p) => rowChanges(p.changes).map(keyOf))).toEqual([`customers/${second!}`, `customers/${mine}`]);
    expect(rest.at(-1)?.lastMutationIds[clientId]).toBe(1);
    expect(rest.at(-1)?.results).toEqual([expect.objectContaining({ clientId, id: 1, status: 'applied' })]);
  });

  it('gives another user nothing of a workstation’s page made ahead, in any scope, and keeps it for the workstation’s user', async () => {
    const from = await caughtUpCookie(server.db);
    const [, second] = await addCustomers(2);
    const group = randomUUID();
    const page1 = await pullOne(group, from);
    expect(page1.more).toBe(true);
    const other = user('DISPATCHER').tokens.accessToken;
    const asked = { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie: page1.cookie, limit: 1 };
    // Without a scope (the server looks the workstation up first) and with the page's own scope.
    for (const body of [asked, { ...asked, scope: page1.scope }]) {
      const refused = await server.post<{ error: { code: string } }>('/api/v1/sync/pull', body, other);
      expect(refused.status).toBe(403);
      expect(JSON.stringify(refused.body)).not.toContain(second!);
    }
    const before = await pagesReadAhead();
    const page2 = await pullOne(group, page1.cookie);
    expect(rowChanges(page2.changes).map(keyOf)).toContain(`customers/${second!}`);
    expect(await pagesReadAhead(), 'answered from the page made ahead').toBe(before + 1);
  });
});

describe('the columns format', () => {
  it('carries, page for page, exactly the changes of the rows format, each table once with its columns, in fewer bytes', async () => {
    const group = randomUUID();
    const clientId = randomUUID();
    const customerId = randomUUID();
    const r = await push(admin.accessToken, group, [
      envelope(clientId, 1, 'customers.create', { ...customerInput({ email: nextEmail('cols') }), id: customerId }, server.adminId),
      envelope(clientId, 2, 'carriers.create', { ...carrierInput({ email: nextEmail('cols'), mcNumber: 'MC-777001', dotNumber: '7770001' }), id: randomUUID() }, server.adminId),
      envelope(clientId, 3, 'loads.create', { ...loadInput(customerId), id: randomUUID(), loadNumber: 'L7770001' }, server.adminId),
    ]);
    expect(r.results.map((m) => m.status)).toEqual(['applied', 'applied', 'applied']);
    // A deletion too (no mutation deletes rows yet; the change log can say so all the same).
    const gone = randomUUID();
    await server.db.query(`INSERT INTO change_log (entity, row_id, op, version) VALUES ('loadEvents', $1, 'del', ${CHANGE_VERSION_SQL})`, [gone]);

    const token = user('CONTROLLER').tokens.accessToken;
    const rows = await pullPages(server, token, randomUUID(), { limit: 7 });
    const columns = await pullPages(server, token, randomUUID(), { limit: 7, format: 'columns' });
    expect(columns.length).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(2);
    columns.forEach((page, i) => {
      const other = rows[i]!;
      expect(rowChanges(page.changes)).toEqual(other.changes);
      // The last page ends at the horizon, which registering the second workstation moved on.
      const rest = (p: PullResponse) => ({ ...p, changes: [], cookie: p.more ? p.cookie : 'the horizon' });
      expect(rest(page)).toEqual(rest(other));
      expect(page.changes.every((c) => c.op !== 'put')).toBe(true);
      const tables = page.changes.filter((c) => c.op === 'putRows').map((c) => c.table);
      expect(new Set(tables).size, 'each table once').toBe(tables.length);
      for (const change of page.changes) {
        if (change.op === 'putRows') expect(change.columns).toEqual(wireColumns[change.table]);
      }
    });
    expect(columns.flatMap((p) => p.changes)).toContainEqual({ op: 'del', table: 'loadEvents', id: gone });
    // Everything in one page: each table's field names once instead of once a row.
    const [all] = await pullPages(server, token, randomUUID(), { limit: 10_000 });
    const [allColumns] = await pullPages(server, token, randomUUID(), { limit: 10_000, format: 'columns' });
    expect(rowChanges(allColumns!.changes)).toEqual(all!.changes);
    expect(JSON.stringify(allColumns).length).toBeLessThan(JSON.stringify(all).length * 0.8);
  });
});

describe('last-mutation-ids never run ahead of the changes', () => {
  /**
   * Pulls `group` page by page from nothing, as a desktop would. Each result arrives exactly once;
   * last-mutation-ids come with the last page only (a row a confirmed mutation made may arrive in a
   * later page when someone changed it since), and by then every applied mutation's effect (the
   * customer it created, by id) has arrived and every mutation up to them has its result.
   */
  async function checkPagesNeverRunAhead(group: string, clientId: string, effects: Map<number, string>, limit: number): Promise<void> {
    const pages = await pullPages(server, admin.accessToken, group, { limit });
    expect(pages.length).toBeGreaterThan(2);
    const replica = new Map<string, Record<string, unknown>>();
    const results = new Map<number, string>();
    let lastLmid = 0;
    for (const [i, page] of pages.entries()) {
      applyChanges(replica, page.changes);
      for (const r of page.results) {
        expect(r.clientId).toBe(clientId);
        expect(results.has(r.id), `result ${String(r.id)} twice`).toBe(false);
        results.set(r.id, r.status);
      }
      const context = `page ${String(i)}, cookie ${String(page.cookie)}`;
      if (page.more) {
        expect(page.lastMutationIds, `${context}: last-mutation-ids before the last page`).toEqual({});
        continue;
      }
      lastLmid = page.lastMutationIds[clientId] ?? 0;
      expect([...results.keys()].sort((a, b) => a - b), context).toEqual(Array.from({ length: lastLmid }, (_, k) => k + 1));
      for (const [mutationId, customerId] of effects) {
        if (results.get(mutationId) === 'applied') expect(replica.has(`customers/${customerId}`), `${context}: effect of mutation ${String(mutationId)} missing`).toBe(true);
      }
    }
    expect(lastLmid).toBe(Math.max(...effects.keys()));
  }

  it('reports a mutation (applied or refused) only in the page that holds its effects', async () => {
    const group = randomUUID();
    const clientId = randomUUID();
    const effects = new Map<number, string>();
    const mutations: Envelope[] = [];
    for (let id = 1; id <= 12; id++) {
      const customerId = randomUUID();
      effects.set(id, customerId);
      // Every fourth reuses an email: refused as a duplicate, consumed, and reported.
      const email = id % 4 === 0 ? `runahead${String(id - 1)}@acme.test` : `runahead${String(id)}@acme.test`;
      mutations.push(envelope(clientId, id, 'customers.create', { ...customerInput({ email }), id: customerId }, server.adminId));
    }
    for (let i = 0; i < mutations.length; i += 4) await push(admin.accessToken, group, mutations.slice(i, i + 4));
    await checkPagesNeverRunAhead(group, clientId, effects, 3);
  });

  it('does not report a mutation as done before the rows it made arrive, when another user changed them later', async () => {
    // The change log keeps only each row's latest change. The admin's mutation 1 creates X; then
    // a clerk creates six other customers and edits X, so X's change now sits at the end. A
    // paged pull whose page reports "mutation 1 done" without X makes the desktop drop its
    // optimistic X (confirmed) and show nothing until a later page brings it back.
    const group = randomUUID();
    const clientId = randomUUID();
    const x = randomUUID();
    await push(admin.accessToken, group, [envelope(clientId, 1, 'customers.create', { ...customerInput({ email: 'x@acme.test' }), id: x }, server.adminId)]);
    const clerk = user('AR_CLERK');
    const clerkClient = randomUUID();
    const others: Envelope[] = Array.from({ length: 6 }, (_, i) =>
      envelope(clerkClient, i + 1, 'customers.create', { ...customerInput({ email: nextEmail('other') }), id: randomUUID() }, clerk.id),
    );
    others.push(envelope(clerkClient, 7, 'customers.update', { ...customerInput({ email: 'x@acme.test', notes: 'Edited by the clerk' }), id: x, expectedVersion: 1 }, clerk.id));
    const r = await push(clerk.tokens.accessToken, randomUUID(), others);
    expect(r.results.map((m) => m.status)).toEqual(Array(7).fill('applied'));
    await checkPagesNeverRunAhead(group, clientId, new Map([[1, x]]), 3);
  });
});

describe('role scoping', () => {
  it('sends every row again while the desktop still holds rows of its old scope, even if the answer that did was lost', async () => {
    const carrierId = randomUUID();
    const made = await push(admin.accessToken, randomUUID(), [envelope(randomUUID(), 1, 'carriers.create', { ...carrierInput({ email: 'rescope@carrier.test', mcNumber: 'MC-818181', dotNumber: '8181818' }), id: carrierId }, server.adminId)]);
    expect(made.results.map((r) => r.status)).toEqual(['applied']);
    const id = await server.addUser('rescoped@lonestar.test', ['CONTROLLER'], 'Rita Rescoped');
    const token = (await server.login('rescoped@lonestar.test')).accessToken;
    const group = randomUUID();
    const pullAs = async (cookie: number | null, scope?: 'bank' | 'masked') => {
      const r = await server.post<PullResponse>('/api/v1/sync/pull', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie, ...(scope ? { scope } : {}) }, token);
      expect(r.status).toBe(200);
      return r.body;
    };
    const carrierIn = (page: PullResponse) => page.changes.find((c) => c.op === 'put' && c.table === 'carriers' && c.row.id === carrierId);
    const first = await pullAs(null);
    expect(first.scope).toBe('bank');
    expect(carrierIn(first)).toMatchObject({ row: { bankAccountNumber: '000123456789' } });

    // A controller becomes an AR clerk: her desktop, holding bank account numbers, must get every row again, masked.
    await server.db.query('UPDATE users SET roles = $2 WHERE id = $1', [id, JSON.stringify(['AR_CLERK'])]);
    const rescoped = await pullAs(first.cookie, 'bank');
    expect(rescoped.scope).toBe('masked');
    expect(carrierIn(rescoped)).toMatchObject({ row: { bankAccountNumber: null } });
    // That answer is lost (or the desktop died before applying it): it still holds the numbers,
    // says so, and gets every row again.
    const again = await pullAs(first.cookie, 'bank');
    expect(carrierIn(again)).toMatchObject({ row: { bankAccountNumber: null } });
    // Once it holds masked rows, pulls are incremental again.
    expect(carrierIn(await pullAs(again.cookie, 'masked'))).toBeUndefined();
  });

  it('sends bank account numbers in clear only to the roles that pay, and never a password hash or sealed value', async () => {
    const group = randomUUID();
    const clientId = randomUUID();
    const withBank = randomUUID();
    const withoutBank = randomUUID();
    const r = await push(admin.accessToken, group, [
      envelope(clientId, 1, 'carriers.create', { ...carrierInput(), id: withBank }, server.adminId),
      envelope(
        clientId,
        2,
        'carriers.create',
        { ...carrierInput({ email: 'ops@plainview.test', companyName: 'Plainview Freight', mcNumber: 'MC-654321', dotNumber: '8765432' }), bankAccount: null, id: withoutBank },
        server.adminId,
      ),
    ]);
    expect(r.results.map((m) => m.status)).toEqual(['applied', 'applied']);
    const { rows } = await server.db.query<{ bank_account_sealed: string; password_hash: string }>(
      'SELECT (SELECT bank_account_sealed FROM carriers WHERE id = $1) AS bank_account_sealed, (SELECT password_hash FROM users WHERE id = $2) AS password_hash',
      [withBank, server.adminId],
    );
    const sealed = rows[0]!.bank_account_sealed;
    expect(sealed).toMatch(/^v1\./);
    const accountNumber = carrierInput().bankAccount!.accountNumber;

    const expectations: [Role, string | null][] = [
      ['ADMIN', null],
      ['DISPATCHER', null],
      ['AR_CLERK', null],
      ['AP_CLERK', accountNumber],
      ['CONTROLLER', accountNumber],
      ['VIEWER', null],
    ];
    for (const [[role, expected], format] of expectations.flatMap((e) => (['rows', 'columns'] as const).map((f) => [e, f] as const))) {
      const pages = await pullPages(server, user(role).tokens.accessToken, randomUUID(), { limit: 10, format });
      const text = JSON.stringify(pages);
      expect(text, role).not.toContain(sealed);
      expect(text, role).not.toContain(rows[0]!.password_hash);
      expect(text, role).not.toContain('$argon2');
      const replica = new Map<string, Record<string, unknown>>();
      for (const page of pages) applyChanges(replica, page.changes);
      const carrier = replica.get(`carriers/${withBank}`);
      expect(carrier, role).toBeDefined();
      expect(carrier!.bankAccountNumber, role).toBe(expected);
      expect(carrier!.bankAccountLast4, role).toBe('6789');
      expect(carrier!.bankRoutingNumber, role).toBe(carrierInput().bankAccount!.routingNumber);
      expect(Object.hasOwn(carrier!, 'bankAccountSealed'), role).toBe(false);
      const plain = replica.get(`carriers/${withoutBank}`)!;
      expect(plain.bankAccountNumber, role).toBeNull();
      expect(Object.hasOwn(plain, 'bankAccountSealed'), role).toBe(false);
      const userRows = [...replica].filter(([key]) => key.startsWith('users/')).map(([, row]) => row);
      expect(userRows.length, role).toBeGreaterThan(5);
      for (const row of userRows) expect(row.passwordHash ?? '', `${role}: ${String(row.email)}`).toBe('');
      // Everything else is the database as it is.
      expect(replica, role).toEqual(await serverProjection(server.db, [role]));
    }
  });
});

describe('workstations belong to one user', () => {
  it('registers a workstation whose first pull already names the scope it holds', async () => {
    const clerk = user('AR_CLERK');
    const group = randomUUID();
    const first = await server.post<PullResponse>('/api/v1/sync/pull', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie: null, scope: 'masked' }, clerk.tokens.accessToken);
    expect(first.status).toBe(200);
    expect(first.body.scope).toBe('masked');
    const { rows } = await server.db.query<{ user_id: string }>('SELECT user_id FROM sync_client_groups WHERE client_group_id = $1', [group]);
    expect(rows).toEqual([{ user_id: clerk.id }]);
  });

  it("refuses a pull or lease with another user's workstation (403), and sends none of its data", async () => {
    const clerk = user('AR_CLERK');
    const group = randomUUID();
    const clientId = randomUUID();
    await push(clerk.tokens.accessToken, group, [envelope(clientId, 1, 'customers.create', { ...customerInput({ email: nextEmail('owned') }), id: randomUUID() }, clerk.id)]);
    const mine = await server.post<PullResponse>('/api/v1/sync/pull', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie: null }, clerk.tokens.accessToken);
    expect(mine.status).toBe(200);
    expect(mine.body.lastMutationIds).toEqual({ [clientId]: 1 });

    for (const role of ['ADMIN', 'DISPATCHER', 'CONTROLLER'] as const) {
      for (const [cookie, scope] of [[null, undefined], [0, undefined], [mine.body.cookie, undefined], [mine.body.cookie, 'masked'], [0, 'bank']] as const) {
        const theirs = await server.post<{ error: { code: string; message: string } } & Partial<PullResponse>>(
          '/api/v1/sync/pull',
          { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie, ...(scope ? { scope } : {}) },
          user(role).tokens.accessToken,
        );
        expect(theirs.status, `${role} ${String(scope)}`).toBe(403);
        expect(theirs.body.error.code).toBe('FORBIDDEN');
        expect(theirs.body.changes).toBeUndefined();
        expect(theirs.body.lastMutationIds).toBeUndefined();
      }
      const lease = await server.post<{ error: { code: string } }>('/api/v1/sync/lease', { clientGroupId: group, series: 'LOAD' }, user(role).tokens.accessToken);
      expect(lease.status).toBe(403);
    }
    const { rows } = await server.db.query<{ user_id: string }>('SELECT user_id FROM sync_client_groups WHERE client_group_id = $1', [group]);
    expect(rows).toEqual([{ user_id: clerk.id }]);
  });

  it('refuses a pull whose cookie is ahead of the server with RESET_REQUIRED (409)', async () => {
    // (Far ahead: on a shared PostgreSQL, other databases' transactions move the horizon too.)
    const r = await server.post<{ error: { code: string } }>(
      '/api/v1/sync/pull',
      { clientGroupId: randomUUID(), schemaVersion: SCHEMA_VERSION, cookie: (await caughtUpCookie(server.db)) + 1_000_000 },
      admin.accessToken,
    );
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('RESET_REQUIRED');
  });

  it("refuses a cookie from the server's life before a restore (another incarnation) with RESET_REQUIRED, and serves a sync from the start", async () => {
    const group = randomUUID();
    const first = await server.post<PullResponse>('/api/v1/sync/pull', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie: null }, admin.accessToken);
    expect(first.status).toBe(200);
    const incarnation = first.body.incarnation;
    expect(incarnation).toMatch(/^[0-9a-f-]{36}$/);
    const again = (body: Record<string, unknown>) =>
      server.post<PullResponse & { error?: { code: string } }>('/api/v1/sync/pull', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, ...body }, admin.accessToken);
    // The same life, or a desktop that keeps none (from before incarnations): served.
    expect((await again({ cookie: first.body.cookie, incarnation })).status).toBe(200);
    expect((await again({ cookie: first.body.cookie })).status).toBe(200);
    // Another life: refused while the desktop holds a cookie; from the start, served.
    const stale = await again({ cookie: first.body.cookie, incarnation: randomUUID() });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('RESET_REQUIRED');
    expect((await again({ cookie: null, incarnation: randomUUID() })).body.incarnation).toBe(incarnation);
  });
});
