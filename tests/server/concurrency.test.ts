import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDatabase } from '../../server/database.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { SCHEMA_VERSION, type Lease, type MutationResult, type PullResponse, type PushResponse, type Tokens } from '../../shared/sync/protocol.ts';
import { carrierInput, customerInput, loadInput } from '../support/fixtures.ts';
import { applyChanges, caughtUpCookie, envelope, latestVersion, pullPages, pushBody, serverProjection, startTestServer, type Envelope, type TestServer } from './support.ts';

/**
 * Many desktops at once (sync-anchors §11.6 invariants 1–3, 12–13). On PGlite there is one
 * connection, so the requests interleave between transactions; on PostgreSQL (DATABASE_URL) they
 * really run side by side on a pool. The assertions hold either way.
 */

let server: TestServer;
interface Person {
  id: string;
  name: string;
  tokens: Tokens;
}
const people: Record<string, Person> = {};

/** The SQLSTATE of every transaction that failed on the server, as the app saw it. */
const failedTransactions: string[] = [];
function recordingFailures(db: ServerDatabase): ServerDatabase {
  return {
    ...db,
    transaction: (work, options) =>
      db.transaction(work, options).catch((error: unknown) => {
        failedTransactions.push(error instanceof Error && 'code' in error ? String(error.code) : 'none');
        throw error;
      }),
  };
}

beforeAll(async () => {
  server = await startTestServer({ wrapDb: recordingFailures });
  people.ada = { id: server.adminId, name: 'Ada Admin', tokens: await server.login('ada@lonestar.test') };
  const more: [string, Role, string][] = [
    ['carl', 'CONTROLLER', 'Carl Controller'],
    ['arnie', 'AR_CLERK', 'Arnie Clerk'],
    ['aria', 'AR_CLERK', 'Aria Clerk'],
    ['dora', 'DISPATCHER', 'Dora Dispatcher'],
    ['dan', 'DISPATCHER', 'Dan Dispatcher'],
    ['vic', 'VIEWER', 'Vic Viewer'],
  ];
  for (const [key, role, name] of more) {
    const id = await server.addUser(`${key}@lonestar.test`, [role], name);
    people[key] = { id, name, tokens: await server.login(`${key}@lonestar.test`) };
  }
});
afterAll(async () => {
  await server.close();
});

function person(key: string): Person {
  const p = people[key];
  if (!p) throw new Error(`no ${key}`);
  return p;
}

async function push(who: Person, clientGroupId: string, mutations: Envelope[]): Promise<PushResponse> {
  const r = await server.post<PushResponse>('/api/v1/sync/push', pushBody(clientGroupId, mutations), who.tokens.accessToken);
  if (r.status !== 200) throw new Error(`push: ${String(r.status)} ${JSON.stringify(r.body)}`);
  return r.body;
}


/** A deterministic shuffle (so a failure can be replayed). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('concurrent pushes from many desktops', () => {
  it('applies each mutation exactly once, per client in id order, one version per transaction (a run of one client’s mutations), and a pull replays the final state', async () => {
    const ada = person('ada');
    const sharedId = randomUUID();
    const setup = await push(ada, randomUUID(), [envelope(randomUUID(), 1, 'customers.create', { ...customerInput({ email: 'shared@acme.test' }), id: sharedId }, ada.id)]);
    expect(setup.results[0]?.status).toBe('applied');
    const baseline = await latestVersion(server.db);

    // Four writers, each on one workstation with two clients, twelve mutations per client: mostly
    // new customers, every fourth an edit of the one shared customer (most of which lose on
    // version), and mutation 5 of every client the same email (one wins, the rest are duplicates).
    const N = 12;
    interface Client {
      who: Person;
      group: string;
      clientId: string;
      index: number;
      mutations: Envelope[];
    }
    const clients: Client[] = [];
    for (const key of ['ada', 'carl', 'arnie', 'aria']) {
      const who = person(key);
      const group = randomUUID();
      for (let c = 0; c < 2; c++) {
        const index = clients.length;
        const clientId = randomUUID();
        const mutations = Array.from({ length: N }, (_, k) => {
          const id = k + 1;
          if (id % 4 === 0) {
            return envelope(
              clientId,
              id,
              'customers.update',
              { ...customerInput({ email: 'shared@acme.test', notes: `client ${String(index)} mutation ${String(id)}` }), id: sharedId, expectedVersion: 1 + ((index + id) % 4) },
              who.id,
            );
          }
          const email = id === 5 ? 'everyone@acme.test' : `c${String(index)}-m${String(id)}@acme.test`;
          return envelope(clientId, id, 'customers.create', { ...customerInput({ email }), id: randomUUID() }, who.id);
        });
        clients.push({ who, group, clientId, index, mutations });
      }
    }
    const slices: [number, number][] = [[0, N], [0, 6], [6, N], [0, N], [3, 9], [0, 3], [9, N]];
    const requests = shuffled(
      clients.flatMap((client) => slices.map(([from, to]) => () => push(client.who, client.group, client.mutations.slice(from, to)))),
      42,
    );

    // A viewer's desktop pulls the whole time, from its cookie, in small pages.
    const follower = person('vic');
    const followerGroup = randomUUID();
    const replica = new Map<string, Record<string, unknown>>();
    const state = { done: false };
    const cookies: number[] = [];
    const follow = (async () => {
      let cookie: number | null = null;
      for (;;) {
        const finished = state.done;
        const pages = await pullPages(server, follower.tokens.accessToken, followerGroup, { cookie, limit: 15 });
        for (const page of pages) {
          applyChanges(replica, page.changes);
          cookies.push(page.cookie);
          cookie = page.cookie;
        }
        if (finished) return;
        await sleep(3);
      }
    })();

    // Count transactions in flight, to show the pushes really overlapped on PostgreSQL.
    const transaction = server.db.transaction.bind(server.db);
    let inFlight = 0;
    let maxInFlight = 0;
    server.db.transaction = (work, options) =>
      transaction(async (tx) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await work(tx);
        } finally {
          inFlight--;
        }
      }, options);
    const responses = await Promise.all(requests.map((send) => send())).finally(() => {
      server.db.transaction = transaction;
    });
    // PGlite runs one transaction at a time; PostgreSQL runs them side by side.
    if (server.db.kind === 'pglite') expect(maxInFlight).toBe(1);
    else expect(maxInFlight).toBeGreaterThan(2);
    // Every client sends its whole queue once more, as a desktop does until it is drained.
    for (const client of clients) responses.push(await push(client.who, client.group, client.mutations));
    state.done = true;
    await follow;

    // Exactly once, seen from the answers: each (client, id) was processed (applied or rejected)
    // by exactly one request, and every answer lists a client's results in id order, without gaps.
    const processed = new Map<string, MutationResult[]>();
    for (const response of responses) {
      const byClient = new Map<string, number[]>();
      for (const result of response.results) {
        byClient.set(result.clientId, [...(byClient.get(result.clientId) ?? []), result.id]);
        if (result.status !== 'alreadyProcessed') {
          const key = `${result.clientId}:${String(result.id)}`;
          processed.set(key, [...(processed.get(key) ?? []), result]);
        }
      }
      for (const ids of byClient.values()) {
        expect(ids).toEqual(Array.from({ length: ids.length }, (_, k) => ids[0]! + k));
      }
    }
    expect(processed.size).toBe(clients.length * N);
    for (const [key, results] of processed) expect(results, key).toHaveLength(1);

    // ...and from the database.
    const { rows: resultRows } = await server.db.query<{ client_id: string; mutation_id: string | number; status: string; version: string | number }>(
      'SELECT client_id, mutation_id, status, version FROM mutation_results WHERE version > $1 ORDER BY version, mutation_id',
      [baseline],
    );
    expect(resultRows).toHaveLength(clients.length * N);
    // A version is one transaction's: the mutations that share one are a run of one client's.
    const byVersion = new Map<number, typeof resultRows>();
    for (const r of resultRows) byVersion.set(Number(r.version), [...(byVersion.get(Number(r.version)) ?? []), r]);
    for (const [version, rows] of byVersion) {
      expect(new Set(rows.map((r) => r.client_id)).size, `version ${String(version)}`).toBe(1);
      const ids = rows.map((r) => Number(r.mutation_id)).sort((a, b) => a - b);
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, k) => ids[0]! + k));
    }
    for (const client of clients) {
      const mine = resultRows.filter((r) => r.client_id === client.clientId).map((r) => Number(r.mutation_id));
      expect(mine).toEqual(Array.from({ length: N }, (_, k) => k + 1));
      const { rows } = await server.db.query<{ last_mutation_id: string | number }>('SELECT last_mutation_id FROM sync_clients WHERE client_id = $1', [client.clientId]);
      expect(Number(rows[0]?.last_mutation_id)).toBe(N);
      for (const r of resultRows.filter((x) => x.client_id === client.clientId)) {
        expect(processed.get(`${client.clientId}:${String(r.mutation_id)}`)?.[0]?.status).toBe(r.status);
      }
    }
    // Every change since the baseline carries the version of an applied mutation, and refused
    // mutations changed nothing.
    const appliedVersions = new Set(resultRows.filter((r) => r.status === 'applied').map((r) => Number(r.version)));
    const { rows: changeRows } = await server.db.query<{ version: string | number }>('SELECT version FROM change_log WHERE version > $1', [baseline]);
    for (const change of changeRows) expect(appliedVersions.has(Number(change.version))).toBe(true);
    const { rows: audits } = await server.db.query<{ client_id: string; mutation_id: string | number }>(
      "SELECT DISTINCT client_id, mutation_id FROM audit_log WHERE client_id <> 'server' AND client_id = ANY($1)",
      [clients.map((c) => c.clientId)],
    );
    const applied = new Set(resultRows.filter((r) => r.status === 'applied').map((r) => `${r.client_id}:${String(r.mutation_id)}`));
    expect(new Set(audits.map((a) => `${a.client_id}:${String(a.mutation_id)}`))).toEqual(applied);
    expect(Number(resultRows.at(-1)?.version)).toBe(await latestVersion(server.db));

    // Business outcome: every new customer once, the contested email once, the shared customer
    // edited exactly as often as an edit was applied.
    const { rows: everyone } = await server.db.query("SELECT id FROM customers WHERE email = 'everyone@acme.test'");
    expect(everyone).toHaveLength(1);
    const duplicates = resultRows.filter((r) => r.status === 'rejected' && Number(r.mutation_id) === 5);
    expect(duplicates).toHaveLength(clients.length - 1);
    const { rows: created } = await server.db.query<{ n: string | number }>("SELECT count(*) AS n FROM customers WHERE email LIKE 'c%-m%@acme.test'");
    expect(Number(created[0]?.n)).toBe(clients.length * (N - N / 4 - 1));
    const sharedEdits = resultRows.filter((r) => r.status === 'applied' && Number(r.mutation_id) % 4 === 0);
    expect(sharedEdits.length).toBeGreaterThan(0);
    const { rows: shared } = await server.db.query<{ version: string | number }>('SELECT version FROM customers WHERE id = $1', [sharedId]);
    expect(Number(shared[0]?.version)).toBe(1 + sharedEdits.length);

    // The follower never went back, and what it pulled while the pushes ran is the database now.
    expect(cookies).toEqual([...cookies].sort((a, b) => a - b));
    expect(cookies.at(-1)).toBeGreaterThanOrEqual(await latestVersion(server.db));
    expect(cookies.at(-1)).toBeLessThanOrEqual(await caughtUpCookie(server.db));
    expect(replica).toEqual(await serverProjection(server.db, ['VIEWER']));
    // So is a first sync from nothing.
    const fresh = new Map<string, Record<string, unknown>>();
    for (const page of await pullPages(server, person('carl').tokens.accessToken, randomUUID(), { limit: 25 })) applyChanges(fresh, page.changes);
    expect(fresh).toEqual(await serverProjection(server.db, ['CONTROLLER']));
  });

  it('two desktops whose groups log check calls on the same two loads in opposite order: PostgreSQL breaks the deadlock, the loser runs again, each call applies once', async () => {
    const ada = person('ada');
    const adminClient = randomUUID();
    const customerId = randomUUID();
    const carrierId = randomUUID();
    const loads = [randomUUID(), randomUUID()] as const;
    let id = 0;
    const setup = await push(ada, randomUUID(), [
      envelope(adminClient, ++id, 'customers.create', { ...customerInput({ email: 'deadlock@acme.test', creditLimitCents: 100_000_000 }), id: customerId }, ada.id),
      envelope(adminClient, ++id, 'carriers.create', { ...carrierInput({ email: 'dispatch@deadlock.test', mcNumber: 'MC-700001', dotNumber: '7000001' }), id: carrierId }, ada.id),
      ...loads.map((loadId, i) => envelope(adminClient, ++id, 'loads.create', { ...loadInput(customerId), id: loadId, loadNumber: `L${String(400_001 + i)}` }, ada.id)),
    ]);
    const doraClient = randomUUID();
    const booked = await push(person('dora'), randomUUID(), loads.map((loadId, i) => envelope(doraClient, i + 1, 'loads.book', { id: loadId, expectedVersion: 1, carrierId, carrierRateCents: 120_000 }, person('dora').id)));
    expect([...setup.results, ...booked.results].map((r) => [r.status, r.message])).toEqual([...setup.results, ...booked.results].map(() => ['applied', undefined]));

    const desks = [person('dora'), person('dan')].map((who) => ({ who, group: randomUUID(), clientId: randomUUID() }));
    const calls = (desk: (typeof desks)[number], order: readonly string[], first: number) =>
      order.map((loadId, i) =>
        envelope(desk.clientId, first + i, 'loads.checkCall', { id: loadId, location: { city: 'Tulsa', state: 'OK' }, status: 'EN_ROUTE', etaAt: null, occurredAt: null, note: `${desk.who.name} ${String(first + i)}` }, desk.who.id),
      );
    const [dora, dan] = desks as [(typeof desks)[number], (typeof desks)[number]];
    // Each workstation registered first (its first push), so the two groups below start together.
    for (const desk of desks) expect((await push(desk.who, desk.group, calls(desk, [loads[0]], 1))).results[0]?.status).toBe('applied');
    // On PostgreSQL both loads are held first, so each group waits at its first load; let go at
    // once, each takes its first load and then wants the other's. PGlite has one connection, so
    // there the groups simply run one after the other.
    const onPostgres = server.db.kind === 'postgres';
    let release: () => void = () => undefined;
    const holding = onPostgres
      ? server.db.transaction(async (tx) => {
          await tx.query('SELECT 1 FROM loads WHERE id = ANY($1) FOR UPDATE', [[...loads]]);
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        })
      : Promise.resolve();
    await sleep(50);
    failedTransactions.length = 0;
    const pushes = Promise.all([push(dora.who, dora.group, calls(dora, loads, 2)), push(dan.who, dan.group, calls(dan, [...loads].reverse(), 2))]);
    if (onPostgres) {
      for (let waited = 0; ; waited += 20) {
        const { rows } = await server.db.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        if (Number(rows[0]?.n) >= 2) break;
        if (waited > 10_000) {
          const { rows: act } = await server.db.query('SELECT state, wait_event_type, left(query, 80) AS q FROM pg_stat_activity WHERE datname = current_database()');
          release();
          throw new Error(`the two pushes never both waited for the held loads: ${JSON.stringify(act)}`);
        }
        await sleep(20);
      }
      release();
    }
    await holding;
    const answers = await pushes;
    expect(answers.map((a) => a.results.map((r) => r.status))).toEqual([
      ['applied', 'applied'],
      ['applied', 'applied'],
    ]);
    if (onPostgres) expect(failedTransactions).toContain('40P01');
    const notes = async (loadId: string) =>
      (await server.db.query<{ note: string }>("SELECT note FROM load_events WHERE load_id = $1 AND type = 'CHECK_CALL' ORDER BY note", [loadId])).rows.map((r) => r.note);
    expect(await notes(loads[0])).toEqual(['Dan Dispatcher 1', 'Dan Dispatcher 3', 'Dora Dispatcher 1', 'Dora Dispatcher 2']);
    expect(await notes(loads[1])).toEqual(['Dan Dispatcher 2', 'Dora Dispatcher 3']);
    for (const desk of desks) {
      const { rows } = await server.db.query<{ n: string }>('SELECT count(*) AS n FROM mutation_results WHERE client_id = $1', [desk.clientId]);
      expect(Number(rows[0]?.n)).toBe(3);
    }
  });
});

describe('two dispatchers book the same load at the same time', () => {
  it('applies one booking; the other is refused with a code and names who booked it first', async () => {
    const ada = person('ada');
    const adminClient = randomUUID();
    const adminGroup = randomUUID();
    const customerId = randomUUID();
    const carriers = [randomUUID(), randomUUID()] as const;
    const loadIds = Array.from({ length: 5 }, () => randomUUID());
    let id = 0;
    const setup = await push(ada, adminGroup, [
      envelope(adminClient, ++id, 'customers.create', { ...customerInput({ email: 'bookings@acme.test', creditLimitCents: 100_000_000 }), id: customerId }, ada.id),
      envelope(adminClient, ++id, 'carriers.create', { ...carrierInput(), id: carriers[0] }, ada.id),
      envelope(
        adminClient,
        ++id,
        'carriers.create',
        { ...carrierInput({ companyName: 'Blue Sky Transport', email: 'dispatch@bluesky.test', mcNumber: 'MC-765432', dotNumber: '3456789' }), id: carriers[1] },
        ada.id,
      ),
      ...loadIds.map((loadId, i) => envelope(adminClient, ++id, 'loads.create', { ...loadInput(customerId), id: loadId, loadNumber: `L${String(300_001 + i)}` }, ada.id)),
    ]);
    expect(setup.results.map((r) => [r.status, r.code])).toEqual(setup.results.map(() => ['applied', undefined]));

    const dispatchers = [person('dora'), person('dan')] as const;
    const desks = dispatchers.map((who) => ({ who, group: randomUUID(), clientId: randomUUID(), next: 0 }));
    const winners: string[] = [];
    for (const [n, loadId] of loadIds.entries()) {
      const attempts = desks.map((desk, d) =>
        envelope(desk.clientId, ++desk.next, 'loads.book', { id: loadId, expectedVersion: 1, carrierId: carriers[d]!, carrierRateCents: 120_000 + d * 5000, note: `Desk ${String(d)}` }, desk.who.id),
      );
      // Alternate who sends first, so either may win.
      const order = n % 2 === 0 ? [0, 1] : [1, 0];
      const answers = await Promise.all(order.map((d) => push(desks[d]!.who, desks[d]!.group, [attempts[d]!])));
      const results = order.map((d, i) => ({ d, result: answers[i]!.results[0]! }));
      const won = results.filter((r) => r.result.status === 'applied');
      const lost = results.filter((r) => r.result.status === 'rejected');
      expect(won, loadId).toHaveLength(1);
      expect(lost, loadId).toHaveLength(1);
      const winner = desks[won[0]!.d]!;
      winners.push(winner.who.name);
      expect(lost[0]!.result.code).toBe('STALE_VERSION');
      expect(lost[0]!.result.message).toEqual(expect.any(String));
      expect(lost[0]!.result.conflict).toMatchObject({ entity: 'loads', rowId: loadId, changedBy: winner.who.name, mutationName: 'loads.book', changedAt: expect.any(String) as unknown });

      const { rows } = await server.db.query<{ status: string; carrier_id: string; version: string | number }>('SELECT status, carrier_id, version FROM loads WHERE id = $1', [loadId]);
      expect(rows[0]).toMatchObject({ status: 'BOOKED', carrier_id: carriers[won[0]!.d] });
      expect(Number(rows[0]?.version)).toBe(2);
      const { rows: events } = await server.db.query("SELECT 1 FROM load_events WHERE load_id = $1 AND type = 'BOOKED'", [loadId]);
      expect(events).toHaveLength(1);
    }

    // Each desk learns the outcome on its next pull: the refusals with their conflict, and the
    // winners' bookings in the rows.
    for (const desk of desks) {
      const pages = await pullPages(server, desk.who.tokens.accessToken, desk.group, { limit: 50 });
      const results = pages.flatMap((p) => p.results);
      expect(results.map((r) => r.id)).toEqual(Array.from({ length: loadIds.length }, (_, k) => k + 1));
      for (const r of results.filter((x) => x.status === 'rejected')) {
        expect(r).toMatchObject({ code: 'STALE_VERSION', conflict: { entity: 'loads', changedBy: expect.any(String) as unknown, mutationName: 'loads.book' } });
        expect(r.conflict?.changedBy).not.toBe(desk.who.name);
      }
      expect(pages.at(-1)?.lastMutationIds).toEqual({ [desk.clientId]: loadIds.length });
      const replica = new Map<string, Record<string, unknown>>();
      for (const page of pages) applyChanges(replica, page.changes);
      for (const loadId of loadIds) {
        const { rows } = await server.db.query<{ carrier_id: string }>('SELECT carrier_id FROM loads WHERE id = $1', [loadId]);
        expect(replica.get(`loads/${loadId}`)).toMatchObject({ status: 'BOOKED', carrierId: rows[0]?.carrier_id, version: 2 });
      }
    }
  });
});

describe('number leases', () => {
  it('hands 20 concurrent lease requests blocks of 1000 that never overlap', async () => {
    const keys = ['ada', 'carl', 'arnie', 'dora', 'dan'];
    const groups = Array.from({ length: 20 }, (_, i) => ({ who: person(keys[i % keys.length]!), group: randomUUID() }));
    const { rows: before } = await server.db.query<{ last: string | number | null }>("SELECT max(last) AS last FROM number_leases WHERE series = 'LOAD'");
    const start = before[0]?.last == null ? 100_001 : Number(before[0].last) + 1;

    const answers = await Promise.all(groups.map(({ who, group }) => server.post<Lease>('/api/v1/sync/lease', { clientGroupId: group, series: 'LOAD' }, who.tokens.accessToken)));
    for (const a of answers) expect(a.status).toBe(200);
    const blocks = answers.map((a) => a.body).sort((x, y) => x.first - y.first);
    for (const block of blocks) {
      expect(block.series).toBe('LOAD');
      expect(block.last - block.first + 1).toBe(1000);
    }
    // Back to back from where the series stood: no overlap, no gap.
    expect(blocks.map((b) => b.first)).toEqual(Array.from({ length: 20 }, (_, i) => start + i * 1000));

    const { rows } = await server.db.query<{ first: string | number; last: string | number; client_group_id: string }>(
      "SELECT first, last, client_group_id FROM number_leases WHERE series = 'LOAD' AND first >= $1 ORDER BY first",
      [start],
    );
    expect(rows.map((r) => [Number(r.first), Number(r.last)])).toEqual(blocks.map((b) => [b.first, b.last]));
    expect(new Set(rows.map((r) => r.client_group_id))).toEqual(new Set(groups.map((g) => g.group)));
    const { rows: owners } = await server.db.query<{ client_group_id: string; user_id: string }>('SELECT client_group_id, user_id FROM sync_client_groups WHERE client_group_id = ANY($1)', [
      groups.map((g) => g.group),
    ]);
    for (const g of groups) expect(owners.find((o) => o.client_group_id === g.group)?.user_id).toBe(g.who.id);
  });

  it('keeps pulls consistent while leases and pushes run together', async () => {
    const ada = person('ada');
    const group = randomUUID();
    const clientId = randomUUID();
    const mutations = Array.from({ length: 10 }, (_, k) => envelope(clientId, k + 1, 'customers.create', { ...customerInput({ email: `mixed${String(k)}@acme.test` }), id: randomUUID() }, ada.id));
    const work = [
      ...mutations.map((m) => () => push(ada, group, mutations.slice(0, m.id))),
      ...Array.from({ length: 5 }, () => () => server.post('/api/v1/sync/lease', { clientGroupId: group, series: 'LOAD' }, ada.tokens.accessToken)),
      ...Array.from({ length: 5 }, () => () => server.post<PullResponse>('/api/v1/sync/pull', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie: null, limit: 20 }, ada.tokens.accessToken)),
    ];
    const answers = await Promise.all(shuffled(work, 7).map((run) => run()));
    for (const a of answers) expect('status' in a ? a.status : 200).toBe(200);
    const pages = await pullPages(server, ada.tokens.accessToken, group, { limit: 20 });
    expect(pages.at(-1)?.lastMutationIds).toEqual({ [clientId]: 10 });
    expect(pages.flatMap((p) => p.results).map((r) => [r.id, r.status])).toEqual(mutations.map((m) => [m.id, 'applied']));
  });
});
