import { eq } from 'drizzle-orm';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { contract, type CommandSpec, type MutationName, type Out } from '../../shared/contract/index.ts';
import { parseInput } from '../../shared/contract/parse.ts';
import { runMutation } from '../../shared/domain/mutators/index.ts';
import type { Actor, EntityName, TxPort } from '../../shared/domain/port.ts';
import type { Role } from '../../shared/domain/roles.ts';
import type { MutationEnvelope, PullResponse } from '../../shared/sync/protocol.ts';
import { ensureDir, migrateWithBackup, openConnection, type MigrationOutcome, type SqliteConnection } from '../../db/sqlite/open.ts';
import { SqliteTxPort, type RowChange, type SqliteDb } from '../../db/sqlite/port.ts';
import { auditLog, meta } from '../../db/sqlite/schema.ts';
import { prepared } from '../../db/sqlite/row-codec.ts';
import type { KeyStore } from '../services/key-store.ts';
import { createSecretBox, type SecretBox } from '../../db/secret-box.ts';
import { deferIndexes, restoreIndexes } from './deferred-indexes.ts';
import { takeNumber } from './numbers.ts';
import { readOutbox, rebase, type OutboxEntry, type RebaseOutcome } from './rebase.ts';
import { WriteQueue } from './write-queue.ts';

export const DATABASE_FILE = 'notchify.db';
/** How long a pull may pause between pages before its commits are checkpointed anyway (a pull cut short). */
const MID_PULL_QUIET_MS = 5_000;

export interface EngineOptions {
  /** The data folder: NOTCHIFY_DATA_DIR, or Electron's userData. */
  dataDir: string;
  keyStore: KeyStore;
  /** Where the drizzle-kit migrations are (the packaged app ships them as a resource). */
  migrationsDir?: string;
  /** The clock; tests pass a fixed one. */
  clock?: () => Date;
}

export type ChangedEntity = EntityName | 'outbox';
export type ChangeListener = (entities: ChangedEntity[]) => void;

/**
 * The local engine: the desktop's SQLite store behind a write queue (one writer connection,
 * BEGIN IMMEDIATE … COMMIT per command) and a read-only connection for queries. A mutation runs
 * its shared mutator, appends itself to the outbox and writes the audit log in one transaction.
 */
export class Engine {
  readonly dataDir: string;
  /** Whose mutation sequence this workstation writes; a new one after a server lost the old one's end (rekeyAfterGap). */
  private currentClientId: string;
  readonly migration: MigrationOutcome;
  private readonly writer: SqliteConnection;
  private readonly reader: SqliteConnection;
  private readonly queue = new WriteQueue();
  private readonly box: SecretBox;
  private readonly clock: () => Date;
  private readonly listeners = new Set<ChangeListener>();
  private readonly commandListeners = new Set<() => void>();
  private closed = false;
  private commitsSinceCheckpoint = 0;
  private checkpointTimer: NodeJS.Timeout | undefined;

  private constructor(options: EngineOptions, writer: SqliteConnection, migration: MigrationOutcome, box: SecretBox) {
    this.dataDir = options.dataDir;
    this.clock = options.clock ?? (() => new Date());
    this.writer = writer;
    this.migration = migration;
    this.box = box;
    // Checkpoints happen when the desk is quiet (see afterCommit), not inside a clerk's command.
    writer.raw.pragma('wal_autocheckpoint = 0');
    // Fresh planner statistics where tables changed a lot (SQLite's advice for long-lived
    // connections), before the read connection opens and loads them: with 100,000 loads, the
    // board's index choice depends on them.
    writer.raw.pragma('analysis_limit = 1000');
    writer.raw.pragma('optimize = 0x10002');
    this.reader = openConnection(join(options.dataDir, DATABASE_FILE), { readonly: true });
    this.currentClientId = this.loadOrCreateClientId();
  }

  get clientId(): string {
    return this.currentClientId;
  }

  /** Opens (creating if needed) the store in `dataDir`, backing it up and migrating it first. */
  static open(options: EngineOptions): Engine {
    ensureDir(options.dataDir);
    // The key first: a data folder whose key can't be had is refused before anything is touched.
    const box = createSecretBox(options.keyStore.loadOrCreate());
    const writer = openConnection(join(options.dataDir, DATABASE_FILE));
    try {
      // A first sync cut short left its lookup indexes aside: they come back before anything else.
      if (hasMetaTable(writer.raw)) writer.raw.transaction(() => restoreIndexes(writer.raw))();
      const migration = migrateWithBackup(writer, {
        ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
        backupDir: join(options.dataDir, 'backups'),
        now: options.clock ?? (() => new Date()),
      });
      return new Engine(options, writer, migration, box);
    } catch (error) {
      writer.raw.close();
      throw error;
    }
  }

  /**
   * The read side of the transaction port over the read connection, so a query can use a shared
   * rule (credit exposure) exactly as a mutator does.
   */
  readPort(): Pick<TxPort, 'get' | 'findBy' | 'count' | 'sumWhere' | 'zipPlace'> {
    return new SqliteTxPort(this.reader.raw, {
      actor: { userId: '', roles: [] },
      now: () => this.now(),
      newId: () => uuidv7(),
      seal: () => {
        throw new Error('The read port does not write');
      },
    });
  }

  /** The read connection, for queries (electron/engine/queries). */
  get db(): SqliteDb {
    return this.reader.db;
  }

  now(): string {
    return this.clock().toISOString();
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after each user action commits (the sync client pushes it). */
  onCommand(listener: () => void): () => void {
    this.commandListeners.add(listener);
    return () => this.commandListeners.delete(listener);
  }

  /** Runs one shared mutator as a user action: rows + outbox + audit, all or nothing. */
  mutate<N extends MutationName>(name: N, rawArgs: unknown, actor: Actor): Promise<Out<N>> {
    return this.queue.run(async () => {
      const result = await this.runInTransaction(name, rawArgs, actor);
      this.afterCommit();
      for (const listener of this.commandListeners) listener();
      return result;
    });
  }

  /**
   * The history import path (demo data, a legacy TMS's loads): runs the same shared mutators, with
   * the same validation and rules, in large transactions and without outbox or audit entries,
   * because imported history is not a user action to sync. The rows it writes are the rows the
   * command path writes (tests/engine/history-import.test.ts). `onBatch` reports progress.
   */
  importHistory(
    commands: Iterable<{ name: MutationName; args: unknown; actor: Actor }>,
    options: { batchSize?: number; onBatch?: (done: number) => void } = {},
  ): Promise<number> {
    return this.queue.run(async () => {
      const raw = this.writer.raw;
      const batchSize = options.batchSize ?? 2000;
      let done = 0;
      let inBatch = 0;
      raw.exec('BEGIN IMMEDIATE');
      try {
        for (const command of commands) {
          const spec = contract[command.name];
          const args: unknown = parseInput(spec.args, this.withNumbers(spec, command.args));
          const port = new SqliteTxPort(raw, {
            actor: command.actor,
            now: () => this.now(),
            newId: () => uuidv7(),
            seal: (secret) => this.box.seal(secret),
          });
          await runMutation(port, command.name, args);
          done++;
          if (++inBatch >= batchSize) {
            raw.exec('COMMIT');
            // Between batches, so the WAL stays a batch long rather than the whole import.
            this.checkpoint();
            options.onBatch?.(done);
            inBatch = 0;
            raw.exec('BEGIN IMMEDIATE');
          }
        }
        raw.exec('COMMIT');
        options.onBatch?.(done);
      } catch (error) {
        if (raw.inTransaction) raw.exec('ROLLBACK');
        throw error;
      }
      this.writer.raw.pragma('optimize');
      this.checkpoint();
      this.emit(['customers', 'carriers', 'loads', 'loadEvents']);
      return done;
    });
  }

  /** A local, never-synced write (preferences, access records), serialised with the mutations. */
  writeLocal<T>(job: (db: SqliteDb) => T): Promise<T> {
    return this.queue.run(() => {
      const raw = this.writer.raw;
      raw.exec('BEGIN IMMEDIATE');
      try {
        const result = job(this.writer.db);
        raw.exec('COMMIT');
        this.afterCommit();
        return result;
      } catch (error) {
        if (raw.inTransaction) raw.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /** Records that someone looked at a secret (e.g. revealed a bank account number). */
  recordAccess(actor: Actor, what: string, entity: EntityName, rowId: string): Promise<void> {
    return this.writeLocal((db) => {
      db.insert(auditLog)
        .values({
          id: uuidv7(),
          at: this.now(),
          actorUserId: actor.userId,
          clientId: this.clientId,
          mutationId: null,
          mutationName: what,
          entity,
          rowId,
          before: null,
          after: null,
        })
        .run();
    });
  }

  sealSecret(plaintext: string): string {
    return this.box.seal(plaintext);
  }

  openSecret(sealed: string): string {
    return this.box.open(sealed);
  }

  /** A fact this installation keeps about itself (client id, sync cookie, server address). */
  meta(key: string): string | null {
    const row = prepared(this.reader.raw, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(entries: Record<string, string | null>): Promise<void> {
    return this.writeLocal(() => {
      for (const [key, value] of Object.entries(entries)) writeMeta(this.writer.raw, key, value);
    });
  }

  /** How many mutations wait for the server. */
  pendingCount(): number {
    return (prepared(this.reader.raw, 'SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  }

  /** The oldest queued mutations after `afterId`, as they go to the server (secret args opened for the wire). */
  outboxBatch(limit: number, afterId = 0): MutationEnvelope[] {
    return readOutbox(this.reader.raw, { clientId: this.clientId, afterId, limit })
      .map((e) => ({ clientId: e.clientId, id: e.id, name: e.name, args: this.outboxArgs(e), actorUserId: e.actorUserId, createdAt: e.createdAt }));
  }

  /**
   * Applies one pulled page as a rebase (electron/engine/rebase.ts) in one transaction, and stores
   * the page's cookie in it, so a crash leaves either the old state or the new one. Foreign keys
   * are not enforced while it applies: a first sync sends each row at its latest version, so a
   * load can arrive a page before the customer it names; the server holds the references true.
   */
  applyPull(page: PullResponse): Promise<RebaseOutcome & { rekeyed: boolean }> {
    return this.queue.run(async () => {
      if (this.closed) throw new Error('The engine is closed');
      const raw = this.writer.raw;
      raw.pragma('foreign_keys = OFF');
      let outcome: RebaseOutcome;
      let newClientId: string | null = null;
      try {
        raw.exec('BEGIN IMMEDIATE');
        try {
          // The first page of a sync from the start that replaces everything (startOver).
          const wipe = this.meta(RESET_KEY) !== null;
          // A first sync of more than one page: its lookup indexes are built after its last page.
          if (page.more && this.meta('syncCookie') === null) deferIndexes(raw);
          outcome = await rebase(
            {
              raw,
              seal: (secret) => this.box.seal(secret),
              now: () => this.now(),
              replay: (entry) => this.replay(entry),
              writeAudit: (changes, m) => {
                this.writeAudit(changes, { actor: { userId: m.actorUserId, roles: [] }, mutationId: m.mutationId, name: m.name, at: m.at });
              },
            },
            page,
            { wipe },
          );
          if (wipe) writeMeta(raw, RESET_KEY, null);
          if (!page.more) {
            restoreIndexes(raw);
            newClientId = this.rekeyAfterGap(page.lastMutationIds[this.clientId] ?? 0);
          }
          writeMeta(raw, 'syncCookie', String(page.cookie));
          writeMeta(raw, 'syncScope', page.scope);
          if (page.incarnation !== undefined) writeMeta(raw, 'syncIncarnation', page.incarnation);
          raw.exec('COMMIT');
          if (newClientId) this.currentClientId = newClientId;
        } catch (error) {
          if (raw.inTransaction) raw.exec('ROLLBACK');
          throw error;
        }
      } finally {
        raw.pragma('foreign_keys = ON');
      }
      // Between the pages of one pull the wait for the next page is no quiet moment: checkpointing
      // then would only slow the pages down. The pull's last page (or a pull cut short) brings it.
      this.afterCommit(page.more ? MID_PULL_QUIET_MS : undefined);
      this.emit([...outcome.entities, 'outbox']);
      return { ...outcome, rekeyed: newClientId !== null };
    });
  }

  /**
   * Makes the next pull start from nothing and replace every synced row: the server answered that
   * this workstation is ahead of it (restored from a backup). The queue stays. Numbers left in
   * blocks leased from the server as it was are given up; blocks are leased again from it as it is.
   */
  startOver(): Promise<void> {
    return this.writeLocal(() => {
      const raw = this.writer.raw;
      writeMeta(raw, 'syncCookie', null);
      writeMeta(raw, 'syncScope', null);
      writeMeta(raw, 'syncIncarnation', null);
      writeMeta(raw, RESET_KEY, this.now());
      prepared(raw, "UPDATE number_blocks SET next = last + 1 WHERE source = 'LEASED'").run();
    });
  }

  /**
   * A mutation sequence must go on where the server's ends. If the server holds fewer of this
   * workstation's mutations than it had confirmed (restored from a backup taken before them), the
   * queued ones follow a gap it would wait on for ever. They are never applied there (the server's
   * last-mutation-id says so, kept with each result), so they move, in order, to a new sequence of
   * their own starting at 1, and their audit entries with them. Inside the pull's last transaction.
   */
  private rekeyAfterGap(serverLastId: number): string | null {
    const raw = this.writer.raw;
    const oldId = this.clientId;
    const first = (prepared(raw, 'SELECT min(id) AS id FROM outbox WHERE client_id = ?').get(oldId) as { id: number | null }).id;
    if (first === null || first <= serverLastId + 1) return null;
    const newId = uuidv7();
    const shift = first - 1;
    prepared(raw, 'UPDATE outbox SET client_id = ?, id = id - ? WHERE client_id = ?').run(newId, shift, oldId);
    prepared(raw, 'UPDATE audit_log SET client_id = ?, mutation_id = mutation_id - ? WHERE client_id = ? AND mutation_id >= ?').run(newId, shift, oldId, first);
    const last = Number((prepared(raw, "SELECT value FROM meta WHERE key = 'lastMutationId'").get() as { value: string }).value);
    writeMeta(raw, 'lastMutationId', String(last - shift));
    writeMeta(raw, 'clientId', newId);
    return newId;
  }

  /** Adds a block of numbers leased from the server. */
  addLeasedBlock(series: string, first: number, last: number): Promise<void> {
    return this.writeLocal(() => {
      prepared(this.writer.raw, "INSERT OR IGNORE INTO number_blocks (series, first, last, next, source) VALUES (?, ?, ?, ?, 'LEASED')").run(series, first, last, first);
    });
  }

  /** Numbers of a series this workstation can still hand out. */
  numbersLeft(series: string): number {
    const row = prepared(this.reader.raw, 'SELECT coalesce(sum(last - next + 1), 0) AS n FROM number_blocks WHERE series = ? AND next <= last').get(series) as { n: number };
    return row.n;
  }

  private async replay(entry: OutboxEntry): Promise<SqliteTxPort> {
    const raw = this.writer.raw;
    const user = prepared(raw, 'SELECT roles, active FROM users WHERE id = ?').get(entry.actorUserId) as { roles: string; active: number } | undefined;
    const roles = user && user.active === 1 ? (JSON.parse(user.roles) as Role[]) : [];
    const port = new SqliteTxPort(raw, {
      actor: { userId: entry.actorUserId, roles },
      now: () => entry.createdAt,
      newId: () => uuidv7(),
      seal: (secret) => this.box.seal(secret),
    });
    await runMutation(port, entry.name, this.outboxArgs(entry));
    return port;
  }

  /** Reads an outbox entry's args, unsealing them when the command carried a secret. */
  outboxArgs(entry: { args: string; argsSealed: boolean }): unknown {
    return JSON.parse(entry.argsSealed ? this.box.open(entry.args) : entry.args) as unknown;
  }

  /**
   * WAL checkpoints copy committed pages back into the database file and fsync it: a few
   * milliseconds that must not land inside a clerk's command. So the engine checkpoints when the
   * write queue has been idle for a moment, and at the latest every 1,000 commits, so the WAL
   * stays small even under a steady stream of writes.
   */
  private afterCommit(quietMs = 250): void {
    this.commitsSinceCheckpoint++;
    if (this.commitsSinceCheckpoint >= 1000) {
      this.checkpoint();
      return;
    }
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = setTimeout(() => {
      void this.queue.run(() => {
        if (!this.closed) this.checkpoint();
      });
    }, quietMs);
    this.checkpointTimer.unref();
  }

  private checkpoint(mode: 'PASSIVE' | 'TRUNCATE' = 'PASSIVE'): void {
    clearTimeout(this.checkpointTimer);
    this.writer.raw.pragma(`wal_checkpoint(${mode})`);
    this.commitsSinceCheckpoint = 0;
  }

  /** Waits for queued writes, checkpoints, then closes both connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.idle();
    this.checkpoint('TRUNCATE');
    this.reader.raw.close();
    this.writer.raw.close();
  }

  private async runInTransaction<N extends MutationName>(name: N, rawArgs: unknown, actor: Actor): Promise<Out<N>> {
    if (this.closed) throw new Error('The engine is closed');
    const spec = contract[name];
    const raw = this.writer.raw;
    raw.exec('BEGIN IMMEDIATE');
    try {
      const args: unknown = parseInput(spec.args, this.withNumbers(spec, rawArgs));
      const port = new SqliteTxPort(this.writer.raw, {
        actor,
        now: () => this.now(),
        newId: () => uuidv7(),
        seal: (secret) => this.box.seal(secret),
      });
      const result = await runMutation(port, name, args);
      const mutationId = this.takeMutationId();
      const createdAt = this.now();
      const argsJson = JSON.stringify(args);
      const sealed = 'secretArgs' in spec && spec.secretArgs === true;
      prepared(raw, 'INSERT INTO outbox (client_id, id, name, args, args_sealed, actor_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        this.clientId,
        mutationId,
        name,
        sealed ? this.box.seal(argsJson) : argsJson,
        sealed ? 1 : 0,
        actor.userId,
        createdAt,
      );
      this.writeAudit(port.changes, { actor, mutationId, name, at: createdAt });
      raw.exec('COMMIT');
      this.emit([...new Set<ChangedEntity>([...port.changes.map((c) => c.entity), 'outbox'])]);
      return result;
    } catch (error) {
      if (raw.inTransaction) raw.exec('ROLLBACK');
      throw error;
    }
  }

  /** Fills the command's numbered fields (a load number) from this workstation's blocks. */
  private withNumbers(spec: CommandSpec, rawArgs: unknown): unknown {
    if (!('numbers' in spec) || !spec.numbers || typeof rawArgs !== 'object' || rawArgs === null) return rawArgs;
    const filled: Record<string, unknown> = { ...(rawArgs as Record<string, unknown>) };
    for (const [field, series] of Object.entries(spec.numbers)) filled[field] = takeNumber(this.writer.raw, series);
    return filled;
  }

  private writeAudit(changes: RowChange[], m: { actor: Actor; mutationId: number; name: string; at: string }): void {
    const insert = prepared(
      this.writer.raw,
      'INSERT INTO audit_log (id, at, actor_user_id, client_id, mutation_id, mutation_name, entity, row_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const change of changes) {
      insert.run(
        uuidv7(),
        m.at,
        m.actor.userId,
        this.clientId,
        m.mutationId,
        m.name,
        change.entity,
        change.id,
        change.before ? JSON.stringify(change.before) : null,
        change.after ? JSON.stringify(change.after) : null,
      );
    }
  }

  /** The next id of this client's contiguous mutation sequence (inside the caller's transaction). */
  private takeMutationId(): number {
    const raw = this.writer.raw;
    const row = prepared(raw, "SELECT value FROM meta WHERE key = 'lastMutationId'").get() as { value: string } | undefined;
    const next = (row ? Number(row.value) : 0) + 1;
    prepared(raw, "INSERT INTO meta (key, value) VALUES ('lastMutationId', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(next));
    return next;
  }

  private loadOrCreateClientId(): string {
    const existing = this.writer.db.select().from(meta).where(eq(meta.key, 'clientId')).get();
    if (existing) return existing.value;
    const clientId = uuidv7();
    this.writer.db.insert(meta).values({ key: 'clientId', value: clientId }).run();
    return clientId;
  }

  private emit(entities: ChangedEntity[]): void {
    for (const listener of this.listeners) {
      try {
        listener(entities);
      } catch {
        // A listener's failure (a closed window) must not undo or hide a committed command.
      }
    }
  }
}

function hasMetaTable(raw: SqliteConnection['raw']): boolean {
  return raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
}

/** Set (to when) while the next pull is to replace every synced row (Engine.startOver). */
const RESET_KEY = 'syncStartOver';

function writeMeta(raw: SqliteConnection['raw'], key: string, value: string | null): void {
  if (value === null) prepared(raw, 'DELETE FROM meta WHERE key = ?').run(key);
  else prepared(raw, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
