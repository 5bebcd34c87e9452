import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, Engine } from '../../electron/engine/engine.ts';
import { KeyFileStore } from '../../electron/services/key-store.ts';
import type { MutationName } from '../../shared/contract/index.ts';
import type { Actor } from '../../shared/domain/port.ts';
import { carrierInput, customerInput, loadInput } from '../support/fixtures.ts';
import { tempDir } from '../support/engine.ts';

/**
 * The history import (demo data, a legacy TMS's loads) runs the same shared mutators as user
 * commands, only without outbox and audit entries: the business rows must come out identical.
 */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const admin: Actor = { userId: '0190c5b0-0000-7000-8000-00000000000a', roles: ['ADMIN', 'DISPATCHER', 'CONTROLLER'] };
const CUSTOMER = '0190c5b0-0000-7000-8000-0000000000c1';
const CARRIER = '0190c5b0-0000-7000-8000-0000000000c2';
const LOAD = '0190c5b0-0000-7000-8000-0000000000d1';

const script: { name: MutationName; args: unknown }[] = [
  { name: 'customers.create', args: { ...customerInput({ creditLimitCents: 5_000_000 }), id: CUSTOMER } },
  { name: 'carriers.create', args: { ...carrierInput(), id: CARRIER } },
  { name: 'loads.create', args: { ...loadInput(CUSTOMER), id: LOAD } },
  { name: 'loads.book', args: { id: LOAD, expectedVersion: 1, carrierId: CARRIER, carrierRateCents: 150_000, note: null } },
  { name: 'loads.transition', args: { id: LOAD, expectedVersion: 2, to: 'DISPATCHED', occurredAt: '2026-12-01T05:00', location: null, note: null } },
  { name: 'loads.transition', args: { id: LOAD, expectedVersion: 3, to: 'IN_TRANSIT', occurredAt: '2026-12-01T08:30', location: { city: 'Dallas', state: 'TX' }, note: null } },
  { name: 'loads.checkCall', args: { id: LOAD, location: { city: 'Ardmore', state: 'OK' }, status: 'EN_ROUTE', etaAt: '2026-12-02T10:00', occurredAt: null, note: null } },
  { name: 'loads.transition', args: { id: LOAD, expectedVersion: 5, to: 'DELIVERED', occurredAt: '2026-12-02T09:45', location: null, note: null } },
];

function open(): { engine: Engine; dir: string } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  // One instant for everything: the command path reads the clock more often (outbox, audit).
  const instant = new Date('2026-11-20T12:00:00.000Z');
  return { engine: Engine.open({ dataDir: t.dir, keyStore: new KeyFileStore(t.dir), clock: () => instant }), dir: t.dir };
}

function rows(dir: string, sql: string): unknown[] {
  const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describe('the history import path', () => {
  it('writes the same customers, carriers, loads and events as the command path, and no outbox or audit', async () => {
    const commands = open();
    for (const step of script) await commands.engine.mutate(step.name, step.args, admin);
    await commands.engine.close();

    const imported = open();
    const count = await imported.engine.importHistory(script.map((s) => ({ ...s, actor: admin })));
    await imported.engine.close();
    expect(count).toBe(script.length);

    const sealedOut = 'SELECT * FROM carriers';
    const compare = [
      'SELECT * FROM customers',
      'SELECT * FROM loads',
      'SELECT load_id, type, from_status, to_status, at, occurred_at, actor_user_id, city, state, check_call_status, eta_at, note FROM load_events ORDER BY rowid',
      'SELECT series, first, last, next FROM number_blocks',
    ];
    for (const sql of compare) expect(rows(imported.dir, sql), sql).toEqual(rows(commands.dir, sql));
    const strip = (r: unknown) => ({ ...(r as Record<string, unknown>), bank_account_sealed: null });
    expect(rows(imported.dir, sealedOut).map(strip)).toEqual(rows(commands.dir, sealedOut).map(strip));
    expect(rows(commands.dir, 'SELECT count(*) AS n FROM outbox')).toEqual([{ n: script.length }]);
    expect(rows(imported.dir, 'SELECT count(*) AS n FROM outbox')).toEqual([{ n: 0 }]);
    expect(rows(imported.dir, 'SELECT count(*) AS n FROM audit_log')).toEqual([{ n: 0 }]);
  });

  it('stops at the first refused command and keeps nothing of its batch', async () => {
    const { engine, dir } = open();
    const bad = [...script.slice(0, 3), { name: 'loads.book' as const, args: { id: LOAD, expectedVersion: 9, carrierId: CARRIER, carrierRateCents: 1, note: null } }];
    await expect(engine.importHistory(bad.map((s) => ({ ...s, actor: admin })))).rejects.toThrow(/changed by someone else/);
    await engine.close();
    expect(rows(dir, 'SELECT count(*) AS n FROM loads')).toEqual([{ n: 0 }]);
  });
});
