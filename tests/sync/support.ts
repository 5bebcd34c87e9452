import { v7 as uuidv7 } from 'uuid';
import { expect } from 'vitest';
import { Engine } from '../../electron/engine/engine.ts';
import { KeyFileStore } from '../../electron/services/key-store.ts';
import { SyncClient, type SyncClientOptions } from '../../electron/sync/sync-client.ts';
import type { FetchLike } from '../../electron/sync/sync-api.ts';
import type { ArgsIn, MutationName, Out } from '../../shared/contract/index.ts';
import { ENTITY_NAMES, type EntityName } from '../../shared/domain/port.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { entityCodec } from '../../db/pg/port.ts';
import { decodePgRow, pgQuote } from '../../db/pg/row-codec.ts';
import { codecOf, decodeRow, quote } from '../../db/sqlite/row-codec.ts';
import { entityTables } from '../../db/sqlite/schema.ts';
import { tempDir } from '../support/engine.ts';
import { PASSWORD, startTestServer, type TestServer } from '../server/support.ts';

/** The sync server listening on loopback, with a clock the test can move (token expiry). */
export interface SyncServer extends TestServer {
  url: string;
  advance(ms: number): void;
}

export async function startSyncServer(options: { accessTokenSeconds?: number } = {}): Promise<SyncServer> {
  let offset = 0;
  const server = await startTestServer({ clock: () => new Date(Date.now() + offset), ...options });
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  // The same object, so that a restart's new app is the one tests see.
  return Object.assign(server, { url, advance: (ms: number) => (offset += ms) });
}

/**
 * One desktop: its own engine on its own SQLite file and its own sync client, with a network it
 * can cut and faults it can inject into its HTTP calls.
 */
export class Desktop {
  readonly name: string;
  readonly dir: string;
  engine: Engine;
  sync: SyncClient;
  online = true;
  /** Drop this many push responses after the server has answered (and committed). */
  dropPushResponses = 0;
  /** Send this schema version instead of the build's own (a desktop newer than the server). */
  schemaVersionOverride: number | null = null;
  userId = '';
  roles: Role[] = [];
  private readonly cleanup: () => void;
  private readonly syncOptions: SyncClientOptions;

  constructor(name: string, syncOptions: SyncClientOptions = {}) {
    this.name = name;
    const { dir, cleanup } = tempDir(`notchify-desk-${name}-`);
    this.dir = dir;
    this.cleanup = cleanup;
    this.syncOptions = syncOptions;
    this.engine = Engine.open({ dataDir: dir, keyStore: new KeyFileStore(dir) });
    this.sync = new SyncClient(this.engine, { fetch: this.fetch, ...syncOptions });
  }

  readonly fetch: FetchLike = async (url, init) => {
    if (!this.online) throw new TypeError('fetch failed: network is unreachable');
    if (this.schemaVersionOverride !== null && url.includes('/sync/')) {
      init = { ...init, body: JSON.stringify({ ...(JSON.parse(init.body) as object), schemaVersion: this.schemaVersionOverride }) };
    }
    const response = await fetch(url, init);
    const text = await response.text();
    if (url.endsWith('/sync/push') && this.dropPushResponses > 0) {
      this.dropPushResponses--;
      throw new TypeError('fetch failed: connection reset');
    }
    return { status: response.status, text: () => Promise.resolve(text) };
  };

  async connect(server: SyncServer, email: string): Promise<void> {
    const user = await this.sync.connect(server.url, email, PASSWORD);
    this.userId = user.id;
    this.roles = user.roles;
  }

  /** Reopens the engine from its file, as after a crash or restart. */
  async restart(options: { graceful?: boolean } = {}): Promise<void> {
    this.sync.stop();
    if (options.graceful !== false) await this.engine.close();
    this.engine = Engine.open({ dataDir: this.dir, keyStore: new KeyFileStore(this.dir) });
    this.sync = new SyncClient(this.engine, { fetch: this.fetch, ...this.syncOptions });
  }

  /** Runs a mutation as this desktop's user; the engine fills numbered fields (load numbers). */
  mutate<N extends MutationName>(name: N, args: Omit<ArgsIn<N>, 'loadNumber'>): Promise<Out<N>> {
    return this.engine.mutate(name, args, { userId: this.userId, roles: this.roles });
  }

  rows(entity: EntityName): Record<string, unknown>[] {
    const c = codecOf(entityTables[entity]);
    return (this.engine.db.$client.prepare(`SELECT * FROM ${quote(c.table)} ORDER BY id`).all() as Record<string, unknown>[]).map((r) => decodeRow(c, r));
  }

  outboxSize(): number {
    return this.engine.pendingCount();
  }

  issues(): { name: string; code: string; message: string; details: string | null }[] {
    return this.engine.db.$client.prepare('SELECT name, code, message, details FROM sync_issues WHERE discarded_at IS NULL ORDER BY mutation_id').all() as {
      name: string;
      code: string;
      message: string;
      details: string | null;
    }[];
  }

  async close(): Promise<void> {
    this.sync.stop();
    await this.engine.close();
    this.cleanup();
  }
}

export const newId = () => uuidv7();

/** The server's rows of one table, as a desktop of `roles` may hold them (secrets compared apart). */
export async function serverRows(server: TestServer, entity: EntityName): Promise<Record<string, unknown>[]> {
  const c = entityCodec(entity);
  const { rows } = await server.db.query(`SELECT * FROM ${pgQuote(c.table)} ORDER BY id`);
  return rows.map((r) => decodePgRow<Record<string, unknown>>(c, r));
}

/** Comparable form: secrets are sealed with each store's own key, so they are compared opened. */
function comparable(entity: EntityName, row: Record<string, unknown>, open: (s: string) => string): Record<string, unknown> {
  const copy = { ...row };
  if (entity === 'users') delete copy.passwordHash;
  if (entity === 'carriers') copy.bankAccountSealed = typeof row.bankAccountSealed === 'string' ? open(row.bankAccountSealed) : null;
  return copy;
}

/**
 * Once quiet: the desktop's synced tables equal the server's (for its scope), its outbox is empty,
 * and every mutation the server saw has exactly one result.
 */
export async function expectConverged(server: TestServer, desktops: Desktop[], serverOpen: (s: string) => string): Promise<void> {
  for (const entity of ENTITY_NAMES) {
    const expected = (await serverRows(server, entity)).map((r) => comparable(entity, r, serverOpen));
    for (const desk of desktops) {
      const mayHoldBank = desk.roles.some((r) => r === 'AP_CLERK' || r === 'CONTROLLER');
      const scoped = entity === 'carriers' && !mayHoldBank ? expected.map((r) => ({ ...r, bankAccountSealed: null })) : expected;
      const actual = desk.rows(entity).map((r) => comparable(entity, r, (s) => desk.engine.openSecret(s)));
      expect(actual, `${desk.name}: ${entity}`).toEqual(scoped);
    }
  }
  for (const desk of desktops) expect(desk.outboxSize(), `${desk.name}: outbox`).toBe(0);
  const { rows } = await server.db.query<{ client_id: string; n: string | number; last: string | number; lmid: string | number }>(
    `SELECT r.client_id, count(*) AS n, max(r.mutation_id) AS last, c.last_mutation_id AS lmid
     FROM mutation_results r JOIN sync_clients c ON c.client_id = r.client_id GROUP BY r.client_id, c.last_mutation_id`,
  );
  for (const row of rows) {
    expect(Number(row.n), `results of ${row.client_id}`).toBe(Number(row.last));
    expect(Number(row.lmid)).toBe(Number(row.last));
  }
}
