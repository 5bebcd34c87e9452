import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codecOf, decodeRow } from '../../db/sqlite/row-codec.ts';
import { entityTables } from '../../db/sqlite/schema.ts';
import { uniqueColumnsOf } from '../../electron/engine/unique-values.ts';
import type { Engine } from '../../electron/engine/engine.ts';
import type { Change } from '../../shared/sync/protocol.ts';
import { wireColumns } from '../../shared/sync/rows.ts';
import { customerInput, loadInput } from '../support/fixtures.ts';
import { openEngine, tempDir } from '../support/engine.ts';

const ADMIN = { userId: '0190c5b0-0000-7000-8000-0000000000aa', roles: ['ADMIN' as const] };

let dirs: { dir: string; cleanup: () => void }[] = [];
let engines: Engine[] = [];
beforeEach(() => {
  dirs = [tempDir(), tempDir()];
  engines = dirs.map((d) => openEngine(d.dir));
});
afterEach(async () => {
  for (const e of engines) await e.close();
  for (const d of dirs) d.cleanup();
});

const triggers = (e: Engine) => e.db.$client.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'loads_search%' ORDER BY name").all();
const search = (e: Engine, term: string) =>
  (e.db.$client.prepare('SELECT l.load_number AS n FROM loads_search s JOIN loads l ON l.rowid = s.rowid WHERE loads_search MATCH ? ORDER BY 1').all(`"${term}"`) as { n: string }[]).map((r) => r.n);

/** `count` customers made on `source` through the engine, as their rows. */
async function createCustomers(source: Engine, count: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < count; i++) {
    await source.mutate('customers.create', { ...customerInput({ companyName: `Shipper ${String(i)}`, email: `ap${String(i)}@shipper.test` }), id: `0190c5b0-0000-7000-8000-${String(i).padStart(12, '0')}` }, ADMIN);
  }
  return customerRows(source);
}

function customerRows(e: Engine): Record<string, unknown>[] {
  const c = codecOf(entityTables.customers);
  return (e.db.$client.prepare('SELECT * FROM customers ORDER BY id').all() as Record<string, unknown>[]).map((r) => decodeRow<Record<string, unknown>>(c, r));
}

function page(cookie: number, changes: Change[]) {
  return { cookie, lastMutationIds: {}, results: [], changes, more: true, scope: 'bank' as const, remaining: 0 };
}

describe('applying a pulled page', () => {
  it('indexes the quick-search terms of a large page of loads in one go, replaces changed terms, and leaves the search triggers as they were', async () => {
    const [source, target] = engines as [Engine, Engine];
    const customerId = '0190c5b0-0000-7000-8000-0000000000c1';
    await source.mutate('customers.create', { ...customerInput(), id: customerId }, ADMIN);
    for (let i = 0; i < 300; i++) {
      await source.mutate('loads.create', { ...loadInput(customerId, { poNumber: `PO-A${String(i)}` }), id: `0190c5b0-0000-7000-8000-${String(i).padStart(12, '0')}` }, ADMIN);
    }
    const c = codecOf(entityTables.loads);
    const rows = (source.db.$client.prepare('SELECT * FROM loads ORDER BY rowid').all() as Record<string, unknown>[]).map((r) => decodeRow<Record<string, unknown>>(c, r));
    const before = triggers(target);

    await target.applyPull(page(1, rows.map((row) => ({ op: 'put', table: 'loads', row }))));
    expect(triggers(target)).toEqual(before);
    expect(search(target, 'PO-A7')).toEqual([rows[7]?.loadNumber]);
    expect(search(target, String(rows[299]?.loadNumber))).toEqual([rows[299]?.loadNumber]);

    // The same loads again, with new PO numbers: old terms gone, new ones found, nothing doubled.
    await target.applyPull(page(2, rows.map((row) => ({ op: 'put', table: 'loads', row: { ...row, poNumber: `PO-B${String(row.poNumber).slice(4)}` } }))));
    expect(search(target, 'PO-A7')).toEqual([]);
    expect(search(target, 'PO-B7')).toEqual([rows[7]?.loadNumber]);
    expect((target.db.$client.prepare("SELECT count(*) AS n FROM loads_search WHERE loads_search MATCH 'Dallas'").get() as { n: number }).n).toBe(300);

    // A small page goes through the triggers as usual.
    await target.applyPull(page(3, [{ op: 'put', table: 'loads', row: { ...rows[0], poNumber: 'PO-SMALL' } }]));
    expect(search(target, 'PO-SMALL')).toEqual([rows[0]?.loadNumber]);
    expect(triggers(target)).toEqual(before);
  });

  it('writes a page table by table, many rows to a statement: new rows, changed rows and deletions all land, whatever their order in the page', async () => {
    const [source, target] = engines as [Engine, Engine];
    // 123 rows: two statements of 50 and 23 rows one by one.
    const rows = await createCustomers(source, 123);
    const held = () => customerRows(target);
    await target.applyPull(page(1, rows.map((row) => ({ op: 'put', table: 'customers', row }))));
    expect(held()).toEqual(rows);

    // Every third row changed; the first one deleted, and a new row taking its unique email, sent
    // before the deletion.
    const changed = rows.map((row, i) => (i % 3 === 0 ? { ...row, creditLimitCents: 1_000 * i, version: Number(row.version) + 1 } : row));
    const newcomer = { ...changed[0], id: '0190c5b0-0000-7000-8000-999999999999', companyName: 'Newcomer' } as Record<string, unknown>;
    await target.applyPull(
      page(2, [
        { op: 'put', table: 'customers', row: newcomer },
        ...changed.slice(1).filter((_, i) => (i + 1) % 3 === 0).map((row): Change => ({ op: 'put', table: 'customers', row })),
        { op: 'del', table: 'customers', id: String(rows[0]?.id) },
      ]),
    );
    expect(held()).toEqual([...changed.slice(1), newcomer]);
  });

  it('applies a putRows change as the same rows one by one, and refuses a page with a row whose values do not match its columns, writing none of it', async () => {
    const [source, target] = engines as [Engine, Engine];
    const rows = await createCustomers(source, 60);
    const held = customerRows;
    // The wire's columns in an order of their own: values go by name, not by position. Fields this
    // desktop does not know are left out, as they are from a row sent whole, even `__proto__`.
    const columns = [...wireColumns.customers].reverse().concat('__proto__', 'shoeSize');
    const extra: Record<string, unknown> = { ['__proto__']: { polluted: true }, shoeSize: 44 };
    const values = (row: Record<string, unknown>) => columns.map((k) => (Object.hasOwn(extra, k) ? extra[k] : (row[k] ?? null)));
    const third = tempDir();
    dirs.push(third);
    const byRow = openEngine(third.dir);
    engines.push(byRow);

    await byRow.applyPull(page(1, rows.map((row): Change => ({ op: 'put', table: 'customers', row }))));
    await target.applyPull(page(1, [{ op: 'putRows', table: 'customers', columns, rows: rows.map(values) }]));
    expect(held(target)).toEqual(rows);
    expect(held(target)).toEqual(held(byRow));
    // Nor does a `__proto__` column's object lend its fields to a row that lacks them.
    const withoutNotes = columns.filter((k) => k !== 'notes');
    const lacking = withoutNotes.map((k) => (k === '__proto__' ? { notes: 'from the prototype' } : (rows[0]![k] ?? null)));
    await expect(target.applyPull(page(2, [{ op: 'putRows', table: 'customers', columns: withoutNotes, rows: [lacking] }]))).rejects.toThrow(/notes/);
    expect(held(target)).toEqual(rows);

    const changed = rows.map((row) => ({ ...row, creditLimitCents: 7_700, version: Number(row.version) + 1 }));
    const short = changed.map(values);
    short[30] = short[30]!.slice(1);
    await expect(target.applyPull(page(2, [{ op: 'putRows', table: 'customers', columns, rows: short }]))).rejects.toThrow('a row of 18 values for 19 columns');
    expect(held(target)).toEqual(rows);
    expect(target.meta('syncCookie')).toBe('1');
  });

  it('lets a pulled row take a unique value a stale row here still holds, whether the holder\'s own change comes later in the page or in a later page', async () => {
    const [source, target] = engines as [Engine, Engine];
    const [a, b] = ['0190c5b0-0000-7000-8000-0000000000a1', '0190c5b0-0000-7000-8000-0000000000b2'];
    await source.mutate('customers.create', { ...customerInput({ email: 'a@swap.test' }), id: a }, ADMIN);
    await source.mutate('customers.create', { ...customerInput({ email: 'b@swap.test' }), id: b }, ADMIN);
    const c = codecOf(entityTables.customers);
    const [rowA, rowB] = (source.db.$client.prepare('SELECT * FROM customers ORDER BY id').all() as Record<string, unknown>[]).map((r) => decodeRow<Record<string, unknown>>(c, r)) as [
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    const put = (row: Record<string, unknown>): Change => ({ op: 'put', table: 'customers', row });
    const emails = () => target.db.$client.prepare('SELECT id, email FROM customers ORDER BY id').all();
    await target.applyPull(page(1, [put(rowA), put(rowB)]));

    // The two swap emails; the page brings B (taking A's) before A.
    await target.applyPull(page(2, [put({ ...rowB, email: 'a@swap.test' }), put({ ...rowA, email: 'b@swap.test' })]));
    expect(emails()).toEqual([
      { id: a, email: 'b@swap.test' },
      { id: b, email: 'a@swap.test' },
    ]);
    // A takes its email back from B, whose own change comes in the next page: B's stale value steps
    // aside meanwhile, under a placeholder no real email can equal.
    await target.applyPull(page(3, [put({ ...rowA, email: 'a@swap.test' })]));
    expect(emails()).toEqual([
      { id: a, email: 'a@swap.test' },
      { id: b, email: `~${b}` },
    ]);
    await target.applyPull({ ...page(4, [put({ ...rowB, email: 'b@swap.test' })]), more: false });
    expect(emails()).toEqual([
      { id: a, email: 'a@swap.test' },
      { id: b, email: 'b@swap.test' },
    ]);
    // Two rows of the page claiming one value is not that case: the page fails, nothing of it lands.
    await expect(target.applyPull(page(5, [put({ ...rowA, email: 'same@swap.test' }), put({ ...rowB, email: 'same@swap.test' })]))).rejects.toThrow(/UNIQUE/);
    expect(emails()).toEqual([
      { id: a, email: 'a@swap.test' },
      { id: b, email: 'b@swap.test' },
    ]);
    expect(uniqueColumnsOf(entityTables.carriers)).toEqual(['mc_number', 'dot_number', 'email']);
  });

  it('builds the lookup indexes of loads and events after a first sync\'s last page, or when the app opens after one was cut short', async () => {
    const [source, target] = engines as [Engine, Engine];
    const customerId = '0190c5b0-0000-7000-8000-0000000000c2';
    await source.mutate('customers.create', { ...customerInput(), id: customerId }, ADMIN);
    for (let i = 0; i < 3; i++) await source.mutate('loads.create', { ...loadInput(customerId), id: `0190c5b0-0000-7000-8000-1${String(i).padStart(11, '0')}` }, ADMIN);
    const c = codecOf(entityTables.loads);
    const rows = (source.db.$client.prepare('SELECT * FROM loads ORDER BY rowid').all() as Record<string, unknown>[]).map((r) => decodeRow<Record<string, unknown>>(c, r));
    const indexes = (e: Engine) =>
      (e.db.$client.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('loads', 'load_events') AND sql IS NOT NULL ORDER BY name").all() as { sql: string }[]).map((i) => i.sql);
    const all = indexes(target);
    const lookups = all.filter((sql) => !sql.startsWith('CREATE UNIQUE'));
    expect(lookups.length).toBeGreaterThanOrEqual(12);
    const put = (row: Record<string, unknown> | undefined) => ({ op: 'put' as const, table: 'loads' as const, row: row ?? {} });

    // First page of a first sync: the lookup indexes step aside (unique ones stay).
    await target.applyPull(page(1, [put(rows[0])]));
    expect(indexes(target)).toEqual(all.filter((sql) => sql.startsWith('CREATE UNIQUE')));
    // A later page of the same sync leaves them aside; the last one builds them all again.
    await target.applyPull(page(2, [put(rows[1])]));
    expect(indexes(target)).not.toEqual(all);
    await target.applyPull({ ...page(3, [put(rows[2])]), more: false });
    expect(indexes(target)).toEqual(all);
    expect(target.meta('deferredIndexes')).toBeNull();
    // They were built with a larger page cache, and the usual one is back.
    expect(target.db.$client.pragma('cache_size', { simple: true })).toBe(-65_536);
    const plan = (target.db.$client.prepare('EXPLAIN QUERY PLAN SELECT rowid FROM loads ORDER BY margin_cents, rowid LIMIT 100').all() as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan).toContain('loads_margin_idx');
    // An incremental pull of many pages does not touch them.
    await target.applyPull(page(4, [put(rows[0])]));
    expect(indexes(target)).toEqual(all);

    // A first sync cut short (the app closed after its first page): the indexes are back on opening.
    const third = tempDir();
    dirs.push(third);
    const other = third.dir;
    const fresh = openEngine(other);
    await fresh.applyPull(page(1, [put(rows[0])]));
    expect(indexes(fresh)).not.toEqual(all);
    await fresh.close();
    const reopened = openEngine(other);
    engines.push(reopened);
    expect(indexes(reopened)).toEqual(all);
    expect(reopened.meta('deferredIndexes')).toBeNull();
  });
});
