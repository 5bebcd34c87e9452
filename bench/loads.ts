import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { DATABASE_FILE } from '../electron/engine/engine.ts';
import { listLoadsStatements, listLoads, matchCarriers } from '../electron/engine/queries/loads.ts';
import { contract, type In } from '../shared/contract/index.ts';
import { DEMO_PASSWORD } from '../scripts/demo-data/generate.ts';
import { loadInput } from '../tests/support/fixtures.ts';
import { benchCore, demoDataCopy, type Figures, printTable, time } from './support.ts';

/**
 * The dispatch board's engine-side costs on the 100,000-load demo data set, each next to a raw
 * better-sqlite3 baseline run in the same process on the same file:
 *   - a board page (100 rows, sorted and filtered) for the filters dispatchers use;
 *   - loads.create (shared mutator, number from the block, row + tracking event + outbox + audit);
 *   - carrier matching for one load over the 20,000 carriers.
 * Run: node bench/loads.ts [--data DIR]   (DIR: a folder made by npm run demo-data; copied first)
 */
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 0) || 300;
const dir = await demoDataCopy(args);
const core = benchCore(dir);
const raw = new Database(join(dir, DATABASE_FILE));
raw.pragma('journal_mode = WAL');
raw.pragma('cache_size = -65536'); // as the engine's connections (db/sqlite/open.ts)

const signIn = await core.route('bench', 'session.signIn', { email: 'dee@demo.notchify.test', password: DEMO_PASSWORD });
if (!signIn.ok) throw new Error(signIn.error.message);
const dispatcherUser = contract['session.signIn'].output.parse(signIn.value);
const dispatcher = { userId: dispatcherUser.id, roles: dispatcherUser.roles };
const counts = raw.prepare('SELECT (SELECT count(*) FROM loads) AS loads, (SELECT count(*) FROM carriers) AS carriers, (SELECT count(*) FROM customers) AS customers').get() as Record<string, number>;
console.log(`Data: ${counts.loads?.toLocaleString()} loads, ${counts.carriers?.toLocaleString()} carriers, ${counts.customers?.toLocaleString()} customers`);

const pick = <T>(sql: string): T => raw.prepare(sql).get() as T;
const busyCustomer = pick<{ id: string }>('SELECT customer_id AS id FROM loads GROUP BY customer_id ORDER BY count(*) DESC LIMIT 1').id;
const busyCarrier = pick<{ id: string }>('SELECT carrier_id AS id FROM loads WHERE carrier_id IS NOT NULL GROUP BY carrier_id ORDER BY count(*) DESC LIMIT 1').id;
const city = pick<{ city: string }>('SELECT origin_city AS city FROM loads GROUP BY origin_city ORDER BY count(*) DESC LIMIT 1').city;
const lane = pick<{ o: string; d: string }>('SELECT origin_state AS o, dest_state AS d FROM loads GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1');
const someNumber = pick<{ n: string }>("SELECT load_number AS n FROM loads ORDER BY rowid DESC LIMIT 1 OFFSET 500").n;
const today = new Date().toISOString().slice(0, 10);
const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);

type ListIn = In<'loads.list'>;
const OPEN = ['PENDING', 'BOOKED', 'DISPATCHED', 'IN_TRANSIT'] as const;
const shapes: [string, Partial<ListIn>][] = [
  ['open loads by pickup (the default board)', { statuses: [...OPEN], sort: { field: 'pickupStart', dir: 'asc' } }],
  ['all 100k by load # desc, page 1', { sort: { field: 'loadNumber', dir: 'desc' } }],
  ['all 100k by pickup desc, page 400 (offset 40,000)', { sort: { field: 'pickupStart', dir: 'desc' }, offset: 40_000 }],
  ['all by customer name', { sort: { field: 'customerName', dir: 'asc' } }],
  ['one customer, by pickup desc', { customerId: busyCustomer, sort: { field: 'pickupStart', dir: 'desc' } }],
  ['one carrier, by delivery desc', { carrierId: busyCarrier, sort: { field: 'deliveryStart', dir: 'desc' } }],
  [`lane ${lane.o}→${lane.d}, by margin desc`, { originState: lane.o as ListIn['originState'], destState: lane.d as ListIn['destState'], sort: { field: 'marginCents', dir: 'desc' } }],
  ['pickup last 30 days, reefer, by customer total', { pickupFrom: monthAgo, pickupTo: today, equipmentType: 'REEFER', sort: { field: 'customerTotalCents', dir: 'desc' } }],
  ['delivered/invoiced last year, by carrier name', { statuses: ['DELIVERED', 'INVOICED', 'CLOSED'], deliveryFrom: yearAgo, sort: { field: 'carrierName', dir: 'asc' } }],
  [`quick search "${city}"`, { search: city, sort: { field: 'pickupStart', dir: 'desc' } }],
  [`quick search load # "${someNumber}"`, { search: someNumber }],
  ['late only', { lateOnly: true, statuses: [...OPEN], sort: { field: 'etaAt', dir: 'asc' } }],
];

const boardRows: Figures[] = [];
const routerRows: Figures[] = [];
const summary: string[] = [];
for (const [label, partial] of shapes) {
  const input = contract['loads.list'].input.parse(partial);
  const sql = listLoadsStatements(core.engine.db, input);
  const page = raw.prepare(sql.page.sql);
  const rowsStmt = raw.prepare(sql.rows.sql);
  const countStmt = raw.prepare(sql.count.sql);
  const rawFig = await time(`raw: ${label}`, runs, () => {
    page.all(...sql.page.params);
    rowsStmt.all(...sql.rows.params);
    countStmt.get(...sql.count.params);
  });
  const engineFig = await time(`engine: ${label}`, runs, () => listLoads(core.engine.db, input));
  const routerFig = await time(`router: ${label}`, runs, async () => {
    const reply = await core.route('bench', 'loads.list', partial);
    if (!reply.ok) throw new Error(reply.error.message);
  });
  boardRows.push(rawFig, engineFig);
  process.stderr.write(`  ${label}: router p95 ${routerFig.p95.toFixed(2)} ms\n`);
  routerRows.push(routerFig);
  const total = listLoads(core.engine.db, input).total;
  summary.push(`${label.padEnd(52)} matches ${total.toLocaleString().padStart(7)}   raw p95 ${rawFig.p95.toFixed(2).padStart(6)}   engine p95 ${engineFig.p95.toFixed(2).padStart(6)}   router p95 ${routerFig.p95.toFixed(2).padStart(6)}   engine/raw p50 ${(engineFig.p50 / rawFig.p50).toFixed(2)}×`);
}
console.log(`\nBoard page (100 rows + the total count), ${String(runs)} runs per shape (ms)`);
for (const line of summary) console.log(line);
const allRouter = routerRows.flatMap((r) => [r.p95]);
console.log(`worst router p95 over the ${String(shapes.length)} shapes: ${Math.max(...allRouter).toFixed(2)} ms`);

// loads.create: the same row three ways.
const customer = pick<{ id: string }>("SELECT id FROM customers WHERE status = 'ACTIVE' AND credit_limit_cents > 0 ORDER BY credit_limit_cents DESC LIMIT 1").id;
const template = await core.engine.mutate('loads.create', { ...loadInput(customer), id: uuidv7() }, dispatcher);
const templateRow = raw.prepare('SELECT * FROM loads WHERE id = ?').get(template.id) as Record<string, unknown>;
const columns = Object.keys(templateRow);
const insertLoad = raw.prepare(`INSERT INTO loads (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
let rawSeq = 9_000_000;
const rawCreate = raw.transaction(() => {
  const parsed = contract['loads.create'].input.parse(loadInput(customer));
  const now = new Date().toISOString();
  insertLoad.run({ ...templateRow, id: uuidv7(), load_number: `R${String(rawSeq++)}`, po_number: parsed.poNumber ?? null, created_at: now, updated_at: now });
});
const createRuns = runs * 10;
printTable(`loads.create, ${String(createRuns)} runs each, one load per transaction`, [
  await time('raw better-sqlite3 INSERT of the same row (+ zod parse)', createRuns, () => rawCreate(), 200),
  await time('engine.mutate loads.create (+ event, outbox, audit)', createRuns, () => core.engine.mutate('loads.create', { ...loadInput(customer), id: uuidv7() }, dispatcher), 200),
  await time('router loads.create (the whole IPC path)', createRuns, async () => {
    const reply = await core.route('bench', 'loads.create', loadInput(customer));
    if (!reply.ok) throw new Error(reply.error.message);
  }, 200),
]);

// Carrier matching over every carrier.
const openLoads = (raw.prepare("SELECT id FROM loads WHERE status IN ('PENDING', 'BOOKED') AND load_number LIKE 'L%' ORDER BY random() LIMIT 100").all() as { id: string }[]).map((r) => r.id);
const scanCarriers = raw.prepare('SELECT id, company_name, status, authority_status, insurance_policies, equipment_types, service_areas, rating, loads_delivered, loads_on_time FROM carriers');
let candidates = 0;
let ranked = 0;
const matchFigures = [
  await time('raw: read every carrier (the columns matching reads)', runs, () => scanCarriers.all(), 10),
  await time('engine: matchCarriers (candidates, lane history, rank)', runs, (i) => {
    const m = matchCarriers(core.engine.db, openLoads[Math.abs(i) % openLoads.length] ?? '');
    if (i >= 0) {
      candidates += m.ranked.length + m.excluded.length;
      ranked += m.ranked.length;
    }
  }, 10),
  await time('router: loads.matches', runs, async (i) => {
    const reply = await core.route('bench', 'loads.matches', { id: openLoads[Math.abs(i) % openLoads.length] ?? '' });
    if (!reply.ok) throw new Error(reply.error.message);
  }, 10),
];
printTable(`Carrier matching over ${counts.carriers?.toLocaleString() ?? '?'} carriers, ${String(openLoads.length)} open loads in turn`, matchFigures);
console.log(`on average ${(candidates / runs).toFixed(0)} candidates per load, ${(ranked / runs).toFixed(0)} of them compliant and ranked`);

raw.close();
await core.close();
rmSync(dir, { recursive: true, force: true });
