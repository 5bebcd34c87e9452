import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { entityCodec } from '../db/pg/port.ts';
import { pgQuote } from '../db/pg/row-codec.ts';
import { createSecretBox } from '../db/secret-box.ts';
import { codecOf, decodeRow } from '../db/sqlite/row-codec.ts';
import { entityTables } from '../db/sqlite/schema.ts';
import { DATABASE_FILE, Engine } from '../electron/engine/engine.ts';
import { KeyFileStore } from '../electron/services/key-store.ts';
import { SyncClient } from '../electron/sync/sync-client.ts';
import { openPostgres, type ServerDatabase } from '../server/database.ts';
import { CHANGE_VERSION_SQL, readHorizon } from '../server/sync/change-order.ts';
import { customerRowSchema } from '../shared/domain/customers/schema.ts';
import { ENTITY_NAMES } from '../shared/domain/port.ts';
import { pullFormatSchema, SCHEMA_VERSION, type PullFormat, type PullRequest, type PushResponse } from '../shared/sync/protocol.ts';
import type { AuthUser } from '../server/auth/service.ts';
import { pull } from '../server/sync/pull.ts';
import { DEMO_PASSWORD } from '../scripts/demo-data/generate.ts';
import { sendCustomerCreates } from './raw-mutation.ts';
import { DEFAULT_GROUP_SIZE } from '../server/sync/group-size.ts';
import { demoDataCopy, percentiles, printTable, type Figures } from './support.ts';
import Database from 'better-sqlite3';

/**
 * `npm run bench:sync -- [--data DIR] [--db postgres://…]`: the sync server on a real PostgreSQL
 * (a scratch database on DATABASE_URL's server, default 127.0.0.1:5432, dropped at the end) with
 * the 100,000-load demo business, measured four ways, each beside raw PostgreSQL in the same run:
 *   1. first sync of everything into an empty desktop (rows/s) — beside the raw multi-row INSERT
 *      that loaded the same rows into PostgreSQL;
 *   2. push throughput (mutations/s) from concurrent clients — beside raw one-row transactions;
 *   3. draining a 10,000-mutation offline backlog (s);
 *   4. push and pull latency (p50/p95/p99) under a loopback load, flat out and at a steady pace —
 *      beside raw one-row INSERT transactions sent the same way.
 * The server runs in a process of its own (bench/sync-server-process.ts), as it does in production.
 * `--only first,push,backlog,latency` runs some of them (the backlog needs the first sync);
 * `--formats rows,columns` (the default) makes a first sync per pull format listed, in that order;
 * `--profile-server DIR` writes a CPU profile of the server process there; `--keep-db` keeps the
 * scratch database (its URL is printed) to look into; `--reuse-db URL` runs on such a database
 * again, without loading it (and so without the raw load's figure). NOTCHIFY_BENCH_READ_AHEAD=off
 * runs the server without making pages ahead (server/sync/page-read-ahead.ts), to compare.
 */
const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const baseUrl = arg('--db') ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SERVER_KEY = Buffer.alloc(32, 9);
const serverBox = createSecretBox(SERVER_KEY);

const demoDir = await demoDataCopy(args);
// `--reuse-db URL`: a database an earlier run kept (`--keep-db`), already loaded, kept again.
const reused = arg('--reuse-db');
const url = new URL(reused ?? baseUrl);
const dbName = reused ? url.pathname.slice(1) : `notchify_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
if (!reused) await admin.query(`CREATE DATABASE ${dbName}`);
url.pathname = `/${dbName}`;
const db = openPostgres(url.toString(), { max: 12 });
const desks: string[] = [];
const opened: { engine: Engine; sync: SyncClient }[] = [];
const only = new Set((arg('--only') ?? 'first,push,backlog,latency').split(','));
let server: ChildProcess | null = null;
try {
  await db.migrate();
  const loaded = reused ? await countRows(db) : await loadDemoIntoPostgres(db, demoDir);
  const started = await startServer(url.toString());
  server = started.child;
  const serverUrl = started.url;

  // 1. First sync into an empty desktop, once per format asked for (`--formats`), each into a desktop of its own.
  const formats = (arg('--formats') ?? 'rows,columns').split(',').map((f) => pullFormatSchema.parse(f));
  let desktop: { engine: Engine; sync: SyncClient } | null = null;
  if (only.has('first') || only.has('backlog')) {
    console.log('\nFirst sync into an empty desktop');
    console.log(`  rows: ${loaded.total.toLocaleString()} (${Object.entries(loaded.perTable).map(([t, n]) => `${t} ${n.toLocaleString()}`).join(', ')})`);
    if (reused) console.log('  raw PostgreSQL multi-row INSERT of the same rows: not run (--reuse-db)');
    else console.log(`  raw PostgreSQL multi-row INSERT of the same rows: ${(loaded.ms / 1000).toFixed(1)} s = ${rate(loaded.total, loaded.ms)} rows/s`);
    for (const format of formats) {
      const first = await firstSync(serverUrl, format);
      desktop = first;
      console.log(`  first sync, pages in the ${format} format (sign-in, pull in pages, apply to SQLite): ${(first.ms / 1000).toFixed(1)} s = ${rate(loaded.total, first.ms)} rows/s${reused ? '' : ` (${(first.ms / loaded.ms).toFixed(2)}× the raw load)`}`);
      console.log(`    the machine's ${String(first.cores)} cores were busy ${first.busy.toFixed(1)} of ${((first.cores * first.ms) / 1000).toFixed(1)} core-seconds (desktop ${first.each.desktop.toFixed(1)}, server ${first.each.server.toFixed(1)}, PostgreSQL ${first.each.postgres.toFixed(1)}, other ${(first.busy - first.each.desktop - first.each.server - first.each.postgres).toFixed(1)})`);
      console.log(`    of which applying pages on the desktop: ${(first.applyMs / 1000).toFixed(1)} s; waiting for the server and the wire: ${((first.ms - first.applyMs) / 1000).toFixed(1)} s`);
      console.log(`    the server answered ${String(first.pulls.count)} pulls in ${first.pulls.seconds.toFixed(1)} s (while the desktop applied the page before)`);
    }
    for (const format of new Set(formats)) {
      const alone = await pagesAlone(db, demoAdmin(desktop?.sync.userId ?? ''), format);
      console.log(
        `  the same pages made alone, ${format} format (the server's pull() in this process, one after another, no HTTP, no desktop): ${(alone.ms / 1000).toFixed(1)} s = ${rate(loaded.total, alone.ms)} rows/s, ${(alone.bytes / 1e6).toFixed(0)} MB of JSON`,
      );
    }
  }

  // 2. Push throughput from concurrent clients, beside raw one-row transactions.
  const clients = Number(arg('--clients') ?? 4);
  const perClient = Math.round(10_000 / clients);
  const login = await post<{ accessToken: string; user: { id: string } }>(serverUrl, '/api/v1/auth/login', { email: 'ada@demo.notchify.test', password: DEMO_PASSWORD });
  const customers = (await db.query<{ id: string }>('SELECT id FROM customers ORDER BY id LIMIT 100')).rows.map((r) => r.id);
  const template = (await db.query('SELECT * FROM customers WHERE id = $1', [customers[0]])).rows[0] ?? {};
  const customerArgs = (i: number, c: number) => ({
    id: uuidv7(),
    companyName: `Bench Shipper ${String(c)}-${String(i)}`,
    contactName: 'Pat Bench',
    email: `bench-${String(c)}-${String(i)}@bench.test`,
    billingEmail: `ap-${String(c)}-${String(i)}@bench.test`,
    billingAddress: template.billing_address,
    creditLimitCents: 1_000_000,
    paymentTerms: 'NET_30',
  });
  if (only.has('push')) {
    const rawStart = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const conn = new pg.Client({ connectionString: url.toString() });
        await conn.connect();
        for (let i = 0; i < perClient; i++) {
          await conn.query('BEGIN');
          await conn.query('INSERT INTO server_meta (key, value) VALUES ($1, $2)', [`raw-${String(c)}-${String(i)}`, JSON.stringify(customerArgs(i, c))]);
          await conn.query('COMMIT');
        }
        await conn.end();
      }),
    );
    const rawMs = performance.now() - rawStart;
    // The statements one customers.create leaves on the server, by this process straight to PostgreSQL.
    const group = uuidv7();
    await db.query('INSERT INTO sync_client_groups (client_group_id, user_id, created_at) VALUES ($1, $2, now())', [group, login.user.id]);
    const statementsStart = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const clientId = uuidv7();
        await db.query('INSERT INTO sync_clients (client_id, client_group_id, user_id, last_mutation_id) VALUES ($1, $2, $3, 0)', [clientId, group, login.user.id]);
        for (let first = 1; first <= perClient; first += DEFAULT_GROUP_SIZE) {
          const mutations = Array.from({ length: Math.min(DEFAULT_GROUP_SIZE, perClient - first + 1) }, (_, k) => {
            const at = new Date().toISOString();
            const args = customerArgs(first + k, 200 + c);
            const row = customerRowSchema.parse({ ...args, phone: null, contacts: [], shippingAddress: null, requiredDocuments: [], notes: null, status: 'ACTIVE', createdAt: at, updatedAt: at, version: 1 });
            return { mutationId: first + k, row, at };
          });
          await db.transaction((tx) => sendCustomerCreates(tx, { userId: login.user.id, clientGroupId: group, clientId, mutations }));
        }
      }),
    );
    const statementsMs = performance.now() - statementsStart;
    const pushStart = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const clientId = uuidv7();
        const group = uuidv7();
        for (let first = 1; first <= perClient; first += 500) {
          const mutations = Array.from({ length: Math.min(500, perClient - first + 1) }, (_, k) => ({
            clientId,
            id: first + k,
            name: 'customers.create',
            args: customerArgs(first + k, c),
            actorUserId: login.user.id,
            createdAt: new Date().toISOString(),
          }));
          const r = await post<PushResponse>(serverUrl, '/api/v1/sync/push', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, mutations }, login.accessToken);
          if (r.results.some((x) => x.status !== 'applied')) throw new Error(`push refused: ${JSON.stringify(r.results.find((x) => x.status !== 'applied'))}`);
        }
      }),
    );
    const pushMs = performance.now() - pushStart;
    const n = clients * perClient;
    console.log(`\nPush throughput, ${String(clients)} concurrent clients × ${perClient.toLocaleString()} customers.create in batches of 500`);
    console.log(`  raw PostgreSQL, one INSERT per transaction, same concurrency: ${rate(n, rawMs)} rows/s`);
    console.log(`  raw PostgreSQL, the statements the server sends for customers.create (claim; per mutation a savepoint, lookups, row; change log, audit, results, last-mutation-id), ${String(DEFAULT_GROUP_SIZE)} to a transaction, same concurrency: ${rate(n, statementsMs)}/s`);
    console.log(
      `  sync push (HTTP, rules, then those statements): ${rate(n, pushMs)} mutations/s (${(pushMs / rawMs).toFixed(1)}× the raw INSERT's time, ${(pushMs / statementsMs).toFixed(2)}× the raw statements' time)`,
    );
  }

  // 3. Drain a 10,000-mutation backlog made offline on the desktop of step 1.
  if (only.has('backlog') && desktop) {
    const { engine, sync } = desktop;
    const actor = { userId: sync.userId ?? '', roles: ['ADMIN' as const] };
    const target = customers[1] ?? '';
    let version = (engine.db.$client.prepare('SELECT version FROM customers WHERE id = ?').get(target) as { version: number }).version;
    const customerRow = engine.db.$client.prepare('SELECT * FROM customers WHERE id = ?').get(target) as Record<string, unknown>;
    const base = decodeRow<Record<string, unknown>>(codecOf(entityTables.customers), customerRow);
    const backlog = 10_000;
    const offlineStart = performance.now();
    for (let i = 0; i < backlog; i++) {
      const saved = await engine.mutate(
        'customers.update',
        {
          id: target,
          expectedVersion: version,
          companyName: base.companyName,
          contactName: base.contactName,
          email: base.email,
          billingEmail: base.billingEmail,
          billingAddress: base.billingAddress,
          creditLimitCents: base.creditLimitCents,
          paymentTerms: base.paymentTerms,
          notes: `Backlog note ${String(i)}`,
        },
        actor,
      );
      version = saved.version;
  }
  const offlineMs = performance.now() - offlineStart;
  const drainStart = performance.now();
  await sync.syncNow();
  const drainMs = performance.now() - drainStart;
  console.log(`\nOffline backlog of ${backlog.toLocaleString()} mutations (made in ${(offlineMs / 1000).toFixed(1)} s on the desktop)`);
  console.log(`  drained (push, pull, rebase) in ${(drainMs / 1000).toFixed(1)} s = ${rate(backlog, drainMs)} mutations/s; outbox now ${String(engine.pendingCount())}`);
  }

  // 4. Latency: flat out (8 desktops, each pushing one mutation and pulling, again at once), and at
  // a steady pace (30 desktops — DOMAIN.md's size — each doing so once a second). At a steady pace
  // each request is timed from when it was due, not when it left, so a stall counts in full for
  // every request it held up (no "coordinated omission").
  if (only.has('latency')) {
    const load = async (label: string, desktops: number, rounds: number, intervalMs: number | null) => {
      const due = (d: number, i: number, t0: number) => (intervalMs === null ? null : t0 + i * intervalMs + (d * intervalMs) / desktops);
      const rows: Figures[] = [percentiles('raw PostgreSQL one-row INSERT transaction', await rawInserts(url.toString(), desktops, rounds, due))];
      const cpu0 = processCpuSeconds(server?.pid);
      const { push, pull, wallMs } = await desktopsSyncing(db, serverUrl, login, desktops, rounds, due, (i, d) => customerArgs(i, 100 + d + (intervalMs === null ? 0 : 1000)));
      const cpuMs = (processCpuSeconds(server?.pid) - cpu0) * 1000;
      rows.push(percentiles('push, 1 mutation', push), percentiles('pull, incremental', pull));
      const requests = push.length + pull.length;
      printTable(`Server latency, ${label}`, rows);
      console.log(
        `  ${String(requests)} requests in ${(wallMs / 1000).toFixed(1)} s = ${rate(requests, wallMs)} a second; the server's process used ${(cpuMs / requests).toFixed(2)} ms of CPU per request`,
      );
    };
    await load('8 desktops flat out', 8, 150, null);
    await load('30 desktops, once a second each (timed from when each request was due)', 30, 40, 1000);
  }
} finally {
  for (const { engine, sync } of opened) {
    sync.stop();
    await engine.close();
  }
  if (server) await stopServer(server);
  await db.close();
  if (reused || args.includes('--keep-db')) console.log(`\nkept the database: ${url.toString()}`);
  else await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  for (const d of [demoDir, ...desks]) rmSync(d, { recursive: true, force: true });
}

/** Starts bench/sync-server-process.ts on `databaseUrl`; resolves with its address once it listens. */
async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const profile = arg('--profile-server');
  const child = spawn(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), join(import.meta.dirname, 'sync-server-process.ts'), databaseUrl], {
    env: { ...process.env, NOTCHIFY_BENCH_KEY: SERVER_KEY.toString('hex') },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /LISTENING (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the bench's sync server stopped (exit ${String(code)})`)));
  });
  return { child, url: address };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A first sync of everything into a new, empty desktop, pulling pages in `format`. */
async function firstSync(serverUrl: string, format: PullFormat) {
  const deskDir = mkdtempSync(join(tmpdir(), 'notchify-bench-desk-'));
  desks.push(deskDir);
  const engine = Engine.open({ dataDir: deskDir, keyStore: new KeyFileStore(deskDir) });
  const sync = new SyncClient(engine, { pollMs: 3_600_000, pullFormat: format, ...(arg('--page') ? { pullLimit: Number(arg('--page')) } : {}) });
  opened.push({ engine, sync });
  // Time spent applying pages on the desktop (the rest is the server and the wire).
  let applyMs = 0;
  const apply = engine.applyPull.bind(engine);
  engine.applyPull = async (page) => {
    const started = performance.now();
    try {
      return await apply(page);
    } finally {
      applyMs += performance.now() - started;
    }
  };
  const served0 = await serverSeconds(serverUrl, '/api/v1/sync/pull');
  const cpu0 = machineCpu();
  const each0 = processCpu();
  const t0 = performance.now();
  await sync.connect(serverUrl, 'ada@demo.notchify.test', DEMO_PASSWORD);
  const ms = performance.now() - t0;
  const cpu1 = machineCpu();
  const each1 = processCpu();
  const served1 = await serverSeconds(serverUrl, '/api/v1/sync/pull');
  return {
    engine,
    sync,
    ms,
    applyMs,
    busy: cpu1.busy - cpu0.busy,
    cores: cpu1.cores,
    each: { desktop: each1.desktop - each0.desktop, server: each1.server - each0.server, postgres: each1.postgres - each0.postgres },
    pulls: { count: served1.count - served0.count, seconds: served1.seconds - served0.seconds },
  };
}

/** How many requests the server answered on `route`, and the seconds it spent on them (its latency histogram). */
async function serverSeconds(base: string, route: string): Promise<{ count: number; seconds: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = (suffix: string) => Number(new RegExp(`_${suffix}\\{[^}]*route="${route}"[^}]*\\} ([0-9.e+-]+)`).exec(text)?.[1] ?? 0);
  return { count: value('count'), seconds: value('sum') };
}

function rate(count: number, ms: number): string {
  return Math.round((count * 1000) / ms).toLocaleString();
}

async function post<T>(base: string, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${String(response.status)} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** The rows of a reused database, as loadDemoIntoPostgres counts them (no load, so no time). */
async function countRows(target: ServerDatabase): Promise<{ total: number; ms: number; perTable: Record<string, number> }> {
  const perTable: Record<string, number> = {};
  for (const entity of ENTITY_NAMES) {
    perTable[entity] = Number((await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${pgQuote(entityCodec(entity).table)}`)).rows[0]?.n ?? 0);
  }
  return { total: Object.values(perTable).reduce((a, b) => a + b, 0), ms: Number.NaN, perTable };
}

/**
 * The demo business into the server's tables: every row of every synced table, read from the
 * demo desktop's SQLite file, with bank account numbers resealed under the server's key, by
 * multi-row INSERTs (the raw baseline); then one change-log entry per row.
 */
async function loadDemoIntoPostgres(target: ServerDatabase, dir: string): Promise<{ total: number; ms: number; perTable: Record<string, number> }> {
  const source = new Database(join(dir, DATABASE_FILE), { readonly: true });
  const demoBox = createSecretBox(new KeyFileStore(dir).loadOrCreate());
  const perTable: Record<string, number> = {};
  let total = 0;
  const t0 = performance.now();
  for (const entity of ENTITY_NAMES) {
    const lite = codecOf(entityTables[entity]);
    const pgc = entityCodec(entity);
    const rows = (source.prepare(`SELECT * FROM "${lite.table}"`).all() as Record<string, unknown>[]).map((r) => decodeRow<Record<string, unknown>>(lite, r));
    perTable[entity] = rows.length;
    total += rows.length;
    const columns = pgc.columns;
    const batch = Math.floor(30_000 / columns.length);
    for (let i = 0; i < rows.length; i += batch) {
      const slice = rows.slice(i, i + batch);
      const params: unknown[] = [];
      const tuples = slice.map((row) => {
        if (entity === 'carriers' && typeof row.bankAccountSealed === 'string') row.bankAccountSealed = serverBox.seal(demoBox.open(row.bankAccountSealed));
        const marks = columns.map((c) => {
          params.push(c.toDriver(row[c.key]));
          return `$${String(params.length)}`;
        });
        return `(${marks.join(', ')})`;
      });
      await target.query(`INSERT INTO ${pgQuote(pgc.table)} (${columns.map((c) => pgQuote(c.name)).join(', ')}) VALUES ${tuples.join(', ')}`, params);
    }
  }
  const ms = performance.now() - t0;
  source.close();
  // One change version per thousand rows, each a transaction of its own (a version is a
  // transaction id, server/sync/change-order.ts), so pulls can page through them.
  for (const entity of ENTITY_NAMES) {
    const { rows } = await target.query<{ id: string }>(`SELECT id FROM ${pgQuote(entityCodec(entity).table)} ORDER BY id`);
    for (let i = 0; i < rows.length; i += 1000) {
      const ids = rows.slice(i, i + 1000).map((r) => r.id);
      await target.transaction((tx) => tx.query(`INSERT INTO change_log (entity, row_id, op, version) SELECT $1, unnest($2::text[]), 'put', ${CHANGE_VERSION_SQL}`, [entity, ids]));
    }
  }
  // As after any bulk load: planner statistics and a visibility map, so reads use the indexes.
  await target.query('VACUUM ANALYZE');
  return { total, ms, perTable };
}

function demoAdmin(userId: string): AuthUser {
  return { id: userId, email: 'ada@demo.notchify.test', name: 'Ada', roles: ['ADMIN'], active: true };
}

/** Every page of a first sync, made by the server's own pull() straight on the database: the server's share of a first sync. */
async function pagesAlone(db: ServerDatabase, user: AuthUser, format: PullFormat): Promise<{ ms: number; bytes: number }> {
  const clientGroupId = uuidv7();
  await db.query('INSERT INTO sync_client_groups (client_group_id, user_id, created_at) VALUES ($1, $2, now())', [clientGroupId, user.id]);
  const deps = { db, open: (sealed: string) => sealed, clock: () => new Date() };
  let request: PullRequest = { clientGroupId, schemaVersion: SCHEMA_VERSION, cookie: null, format };
  let bytes = 0;
  const started = performance.now();
  for (;;) {
    const page = await pull(deps, user, request);
    bytes += JSON.stringify(page).length;
    if (!page.more) break;
    request = { ...request, cookie: page.cookie, scope: page.scope };
  }
  return { ms: performance.now() - started, bytes };
}

/**
 * CPU-seconds used so far by this process (the desktop, during a first sync), by the server's
 * process, and by every PostgreSQL process (its backends are pooled, so they outlive a sync).
 */
function processCpu(): { desktop: number; server: number; postgres: number } {
  const usage = process.cpuUsage();
  const ticks = (pid: string) => {
    try {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return { comm: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), seconds: (Number(fields[11]) + Number(fields[12])) / 100 };
    } catch {
      return { comm: '', seconds: 0 }; // gone meanwhile
    }
  };
  let postgres = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const p = ticks(pid);
    if (p.comm === 'postgres') postgres += p.seconds;
  }
  return { desktop: (usage.user + usage.system) / 1e6, server: server?.pid ? ticks(String(server.pid)).seconds : 0, postgres };
}

/** Core-seconds the whole machine has spent busy since boot (/proc/stat), and its core count. */
function machineCpu(): { busy: number; cores: number } {
  const [total] = readFileSync('/proc/stat', 'utf8').split('\n');
  const ticks = (total ?? '').trim().split(/\s+/).slice(1).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const all = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (all - idle) / 100, cores: availableParallelism() };
}

async function sleepUntil(at: number | null): Promise<void> {
  const wait = at === null ? 0 : at - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** Each of `clients` connections runs `rounds` one-row INSERT transactions, each when due (or at once); their latencies. */
async function rawInserts(databaseUrl: string, clients: number, rounds: number, due: (client: number, round: number, t0: number) => number | null): Promise<number[]> {
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const conn = new pg.Client({ connectionString: databaseUrl });
      await conn.connect();
      for (let i = 0; i < rounds; i++) {
        const at = due(c, i, t0);
        await sleepUntil(at);
        const s = at ?? performance.now();
        await conn.query('BEGIN');
        await conn.query('INSERT INTO server_meta (key, value) VALUES ($1, $2)', [`lat-${String(t0)}-${String(c)}-${String(i)}`, 'x']);
        await conn.query('COMMIT');
        latencies.push(performance.now() - s);
      }
      await conn.end();
    }),
  );
  return latencies;
}

/**
 * `desktops` up-to-date workstations, each pushing one mutation and then pulling what the others
 * pushed, `rounds` times, each round when due (or at once). A push is timed from when it was due,
 * the pull after it from when the push was answered.
 */
async function desktopsSyncing(
  db: ServerDatabase,
  serverUrl: string,
  login: { accessToken: string; user: { id: string } },
  desktops: number,
  rounds: number,
  due: (desktop: number, round: number, t0: number) => number | null,
  args: (round: number, desktop: number) => unknown,
): Promise<{ push: number[]; pull: number[]; wallMs: number }> {
  const push: number[] = [];
  const pull: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: desktops }, async (_, d) => {
      const clientId = uuidv7();
      const group = uuidv7();
      // A desktop that is up to date: it pulls only what the others pushed since.
      let cookie = (await db.transaction((tx) => readHorizon(tx), { isolation: 'repeatable read', readOnly: true })) - 1;
      let scope: string | null = null;
      for (let i = 1; i <= rounds; i++) {
        const at = due(d, i - 1, t0);
        await sleepUntil(at);
        let s = at ?? performance.now();
        await post(serverUrl, '/api/v1/sync/push', {
          clientGroupId: group,
          schemaVersion: SCHEMA_VERSION,
          mutations: [{ clientId, id: i, name: 'customers.create', args: args(i, d), actorUserId: login.user.id, createdAt: new Date().toISOString() }],
        }, login.accessToken);
        push.push(performance.now() - s);
        s = performance.now();
        // As a desktop does: with the scope of the rows it holds, once it has some.
        const page: { cookie: number; scope: string } = await post(serverUrl, '/api/v1/sync/pull', { clientGroupId: group, schemaVersion: SCHEMA_VERSION, cookie, ...(scope ? { scope } : {}) }, login.accessToken);
        cookie = page.cookie;
        scope = page.scope;
        pull.push(performance.now() - s);
      }
    }),
  );
  return { push, pull, wallMs: performance.now() - t0 };
}

/** CPU seconds (user + system) process `pid` has used, from /proc. */
function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
