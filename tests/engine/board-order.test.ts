import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/engine/engine.ts';
import { listLoads } from '../../electron/engine/queries/loads.ts';
import { contract, type In } from '../../shared/contract/index.ts';
import { LOAD_SORT_FIELDS } from '../../shared/contract/loads.ts';
import { LOAD_STATUSES } from '../../shared/domain/loads/schema.ts';
import { generateDemoData } from '../../scripts/demo-data/generate.ts';
import { openEngine, tempDir } from '../support/engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';

/**
 * The board pages through loads by index walks (a deferred join, name walks above a threshold,
 * a merge for unbooked loads when sorting by carrier). Whatever plan runs, every page must be
 * exactly the slice of one reference order: all matching loads sorted in JavaScript by the
 * field, then by rowid, in the chosen direction (NULLs first ascending, as SQLite sorts them).
 */
type SortField = (typeof LOAD_SORT_FIELDS)[number];

interface Ref {
  rowid: number;
  loadNumber: string;
  status: string;
  customerId: string;
  customerName: string;
  customerRowid: number;
  carrierName: string | null;
  carrierRowid: number | null;
  pickupStart: string;
  deliveryStart: string;
  originState: string;
  originCity: string;
  destState: string;
  destCity: string;
  customerTotalCents: number;
  carrierRateCents: number | null;
  marginCents: number | null;
  miles: number | null;
  etaAt: string | null;
  updatedAt: string;
}

type Key = string | number | null;
const nocase = (s: string | null) => (s === null ? null : s.replace(/[A-Z]/g, (c) => c.toLowerCase()));
const KEYS: Record<SortField, (r: Ref) => Key[]> = {
  pickupStart: (r) => [r.pickupStart],
  deliveryStart: (r) => [r.deliveryStart],
  loadNumber: (r) => [Number(r.loadNumber.slice(1))],
  status: (r) => [(LOAD_STATUSES as readonly string[]).indexOf(r.status)],
  customerName: (r) => [nocase(r.customerName), r.customerRowid],
  carrierName: (r) => [nocase(r.carrierName), r.carrierRowid],
  origin: (r) => [r.originState, r.originCity],
  destination: (r) => [r.destState, r.destCity],
  customerTotalCents: (r) => [r.customerTotalCents],
  carrierRateCents: (r) => [r.carrierRateCents],
  marginCents: (r) => [r.marginCents],
  miles: (r) => [r.miles],
  etaAt: (r) => [r.etaAt],
  updatedAt: (r) => [r.updatedAt],
};

function compareKeys(a: Key[], b: Key[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

let dir: string;
let cleanup: () => void;
let engine: Engine;
let all: Ref[];

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  // Enough loads that an unfiltered name sort walks the name index (over 2,000 matches).
  await generateDemoData(dir, { loads: 2_600, customers: 40, carriers: 150, seed: 11, now: new Date('2026-11-20T12:00:00Z'), recentDays: 10 });
  const raw = new Database(join(dir, DATABASE_FILE), { readonly: true });
  all = raw
    .prepare(
      `SELECT l.rowid, l.load_number AS loadNumber, l.status, l.customer_id AS customerId, c.company_name AS customerName, c.rowid AS customerRowid,
        k.company_name AS carrierName, k.rowid AS carrierRowid, l.pickup_start AS pickupStart, l.delivery_start AS deliveryStart,
        l.origin_state AS originState, l.origin_city AS originCity, l.dest_state AS destState, l.dest_city AS destCity,
        l.customer_total_cents AS customerTotalCents, l.carrier_rate_cents AS carrierRateCents, l.margin_cents AS marginCents,
        l.miles, l.eta_at AS etaAt, l.updated_at AS updatedAt
       FROM loads l JOIN customers c ON c.id = l.customer_id LEFT JOIN carriers k ON k.id = l.carrier_id`,
    )
    .all() as Ref[];
  raw.close();
  engine = openEngine(dir);
}, 120_000);

afterAll(async () => {
  await engine.close();
  cleanup();
});

function expected(field: SortField, dir: 'asc' | 'desc', keep: (r: Ref) => boolean): string[] {
  const sign = dir === 'asc' ? 1 : -1;
  return all
    .filter(keep)
    .sort((a, b) => sign * (compareKeys(KEYS[field](a), KEYS[field](b)) || a.rowid - b.rowid))
    .map((r) => r.loadNumber);
}

const busiestCustomer = () => {
  const counts = new Map<string, number>();
  for (const r of all) counts.set(r.customerId, (counts.get(r.customerId) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
};

describe('board pages follow one order, whatever plan SQLite runs', () => {
  const filters: [string, () => { input: Partial<In<'loads.list'>>; keep: (r: Ref) => boolean }][] = [
    ['no filter (over the name-walk threshold)', () => ({ input: {}, keep: () => true })],
    ['closed loads (many)', () => ({ input: { statuses: ['CLOSED'] }, keep: (r) => r.status === 'CLOSED' })],
    ['open loads (few)', () => ({ input: { statuses: ['PENDING', 'BOOKED', 'DISPATCHED'] }, keep: (r) => ['PENDING', 'BOOKED', 'DISPATCHED'].includes(r.status) })],
    ['one customer', () => { const id = busiestCustomer(); return { input: { customerId: id }, keep: (r) => r.customerId === id }; }],
  ];
  for (const [label, make] of filters) {
    for (const field of LOAD_SORT_FIELDS) {
      for (const direction of ['asc', 'desc'] as const) {
        it(`${label}: ${field} ${direction}`, () => {
          const { input, keep } = make();
          const want = expected(field, direction, keep);
          expect(want.length).toBeGreaterThan(0);
          for (const offset of [0, 100, Math.max(0, want.length - 30)]) {
            const page = listLoads(engine.db, contract['loads.list'].input.parse({ ...input, sort: { field, dir: direction }, offset, limit: 100 }));
            expect(page.total).toBe(want.length);
            expect(page.rows.map((r) => r.loadNumber)).toEqual(want.slice(offset, offset + 100));
          }
        });
      }
    }
  }

  it('the whole-view CSV export follows the same order', async () => {
    const csv = await import('../../electron/engine/queries/loads.ts').then((m) =>
      m.exportLoadsCsv(engine.db, contract['loads.exportCsv'].input.parse({ sort: { field: 'carrierName', dir: 'desc' } }), '2026-11-20'),
    );
    const numbers = csv.csv.trimEnd().split('\r\n').slice(1).map((line) => line.split(',')[0]);
    expect(numbers).toEqual(expected('carrierName', 'desc', () => true));
  });
});
