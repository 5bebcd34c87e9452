import { v7 as uuidv7 } from 'uuid';
import { hashPassword, verifyPassword } from '../../db/password.ts';
import { prepared } from '../../db/sqlite/row-codec.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import {
  changeCount,
  MAX_PUSH_MUTATIONS,
  pullScopeSchema,
  PUSH_BATCH_BYTES,
  SCHEMA_VERSION,
  type PullFormat,
  type PullResponse,
  type PullScope,
  type SessionUserWire,
  type Tokens,
} from '../../shared/sync/protocol.ts';
import type { Engine } from '../engine/engine.ts';
import { ReadAhead } from './read-ahead.ts';
import { SyncApi, SyncFailure, type FetchLike } from './sync-api.ts';

export type SyncState = 'standalone' | 'offline' | 'syncing' | 'online' | 'signInRequired' | 'updateRequired' | 'error';

export interface SyncStatus {
  state: SyncState;
  serverUrl: string | null;
  lastSyncAt: string | null;
  pending: number;
  issues: number;
  message: string | null;
  /** While a sync pulls many pages (the first one): changes applied and in all. */
  progress: { done: number; total: number } | null;
}

export interface SyncClientOptions {
  fetch?: FetchLike;
  /** Keep at least this many load numbers leased while online. */
  numberReserve?: number;
  /** Page size for pulls. */
  pullLimit?: number;
  /** How pulled rows are laid out (protocol.ts); `columns` unless a bench compares the two. */
  pullFormat?: PullFormat;
  onStatus?: (status: SyncStatus) => void;
  /** Waits between background syncs, and the longest backoff after failures (ms). */
  pollMs?: number;
  maxBackoffMs?: number;
  /** The most bytes of mutations one push carries (PUSH_BATCH_BYTES unless a test sets it lower). */
  pushBatchBytes?: number;
}

/** Pages fetched ahead of the one being applied: enough to keep the server busy, few enough to hold in memory. */
const PAGES_AHEAD = 2;

const META = {
  server: 'syncServerUrl',
  group: 'syncClientGroupId',
  user: 'syncUserId',
  refresh: 'syncRefreshToken',
  cookie: 'syncCookie',
  scope: 'syncScope',
  incarnation: 'syncIncarnation',
  lastSync: 'syncLastAt',
} as const;

/**
 * The desktop's side of sync: signs in to the server, pushes the outbox, pulls and rebases,
 * leases number blocks, and keeps doing so in the background with backoff. It never drops a
 * queued mutation: when the session ends or the server needs a newer app, it stops and says so.
 */
export class SyncClient {
  private readonly engine: Engine;
  private readonly options: SyncClientOptions;
  private api: SyncApi | null = null;
  private accessToken: string | null = null;
  private state: SyncState;
  private message: string | null = null;
  private progress: SyncStatus['progress'] = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** Said on every status after the server turned out to be restored from a backup (startOver). */
  private notice: string | null = null;
  private startingOver = false;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = true;

  constructor(engine: Engine, options: SyncClientOptions = {}) {
    this.engine = engine;
    this.options = options;
    const url = engine.meta(META.server);
    if (url) this.api = new SyncApi(url, options.fetch ? { fetch: options.fetch } : {});
    this.state = url ? 'signInRequired' : 'standalone';
  }

  get connected(): boolean {
    return this.api !== null;
  }

  /** The user this workstation syncs as (one per connected desktop). */
  get userId(): string | null {
    return this.engine.meta(META.user);
  }

  status(): SyncStatus {
    return {
      state: this.state,
      serverUrl: this.api?.baseUrl ?? null,
      lastSyncAt: this.engine.meta(META.lastSync),
      pending: this.engine.pendingCount(),
      issues: (prepared(this.engine.db.$client, 'SELECT count(*) AS n FROM sync_issues WHERE discarded_at IS NULL').get() as { n: number }).n,
      message: this.message,
      progress: this.progress,
    };
  }

  /**
   * Connects a fresh workstation (no workspace yet) to a server as this user, then runs the first
   * sync. A workstation already connected may only reconnect to the same server as the same user.
   */
  async connect(serverUrl: string, email: string, password: string): Promise<SessionUserWire> {
    const api = new SyncApi(serverUrl, this.options.fetch ? { fetch: this.options.fetch } : {});
    const existing = this.engine.meta(META.server);
    if (existing && existing !== api.baseUrl) {
      throw new DomainError('CONFLICT', `This workstation already syncs with ${existing}.`, { serverUrl: `This workstation already syncs with ${existing}` });
    }
    if (!existing && (await this.engine.readPort().count('workspaces')) > 0) {
      throw new DomainError('CONFLICT', 'This workstation already holds a workspace of its own; connect from a new data folder.', {
        serverUrl: 'This workstation already holds a workspace of its own',
      });
    }
    const tokens = await this.loginOrExplain(api, email, password);
    const boundUser = this.engine.meta(META.user);
    if (boundUser && boundUser !== tokens.user.id) {
      throw new DomainError('NOT_AUTHORIZED', 'This workstation syncs as another user. Sign in as that user.');
    }
    this.api = api;
    await this.engine.setMeta({
      [META.server]: api.baseUrl,
      [META.group]: this.engine.meta(META.group) ?? uuidv7(),
      [META.user]: tokens.user.id,
    });
    await this.acceptTokens(tokens, password);
    await this.syncNow();
    return tokens.user;
  }

  /**
   * Signs the workstation's user in: against the server when it answers, else (offline) against
   * the verifier kept from the last online sign-in. Returns the user id, or throws.
   */
  async signIn(email: string, password: string): Promise<{ userId: string; offline: boolean }> {
    const api = this.requireApi();
    try {
      const tokens = await api.login(email, password);
      if (tokens.user.id !== this.userId) throw new DomainError('NOT_AUTHORIZED', 'This workstation syncs as another user. Sign in as that user.');
      await this.acceptTokens(tokens, password);
      this.trigger();
      return { userId: tokens.user.id, offline: false };
    } catch (error) {
      // Only a server that cannot answer lets the verifier decide. One that answers "too many
      // attempts" is there and has spoken: the kept verifier (maybe of an older password) must
      // not open the desk instead.
      if (!(error instanceof SyncFailure) || error.kind !== 'offline' || error.status === 429) throw asDomainError(error);
      const cached = prepared(this.engine.db.$client, 'SELECT user_id, verifier FROM offline_credentials WHERE email = ?').get(email) as
        | { user_id: string; verifier: string }
        | undefined;
      if (!cached || !(await verifyPassword(cached.verifier, password))) {
        throw new DomainError('INVALID_CREDENTIALS', 'The server cannot be reached, and that email and password do not match the last sign-in on this workstation.');
      }
      this.setState('offline', 'Working offline. Your changes are kept and will sync when the server answers.');
      return { userId: cached.user_id, offline: true };
    }
  }

  /** Starts background sync (after sign-in). */
  start(): void {
    if (!this.api) return;
    this.stopped = false;
    this.trigger();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Sync soon (after a local mutation, or when asked). */
  trigger(): void {
    if (this.stopped || !this.api) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.syncNow().catch(() => undefined), 0);
    this.timer.unref();
  }

  /** Pushes everything queued, then pulls until up to date; one run at a time. */
  async syncNow(): Promise<SyncStatus> {
    if (this.running) {
      this.again = true;
      await this.running;
      return this.status();
    }
    this.running = this.runOnce();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    if (this.again) {
      this.again = false;
      return this.syncNow();
    }
    return this.status();
  }

  /** Discards a sync issue (the clerk has read it). */
  async discardIssue(clientId: string, mutationId: number): Promise<void> {
    await this.engine.writeLocal((db) => {
      db.$client.prepare('UPDATE sync_issues SET discarded_at = ? WHERE client_id = ? AND mutation_id = ?').run(this.engine.now(), clientId, mutationId);
    });
    this.emit();
  }

  private async runOnce(): Promise<void> {
    const api = this.requireApi();
    try {
      const token = await this.token();
      this.setState('syncing', null);
      await this.pushAll(api, token);
      await this.pullAll(api, token);
      await this.keepNumbers(api, token);
      await this.engine.setMeta({ [META.lastSync]: this.engine.now() });
      this.failures = 0;
      this.setState('online', this.notice);
      this.schedule(this.options.pollMs ?? 15_000);
    } catch (error) {
      this.progress = null;
      let failure: unknown = error;
      if (failure instanceof SyncFailure && failure.kind === 'unauthorized') {
        // Maybe only the access token expired: one refresh, then ask the user. A refresh that
        // can't reach the server is an offline sync like any other.
        this.accessToken = null;
        try {
          if (await this.tryRefresh()) return await this.runOnce();
          this.setState('signInRequired', 'Your session has ended. Sign in again to send your changes; they are kept until then.');
          return;
        } catch (refreshFailure) {
          failure = refreshFailure;
        }
      }
      if (failure instanceof SyncFailure && failure.code === 'RESET_REQUIRED' && !this.startingOver) {
        // The server is behind this workstation: restored from a backup. Everything is synced
        // again from the start, replacing what the desktop holds; the queue stays and drains.
        this.startingOver = true;
        try {
          await this.engine.startOver();
          this.notice =
            'The sync server was restored from a backup, so this workstation synced everything again from it. Work it had confirmed after that backup is no longer on it; changes still waiting here are sent as usual.';
          return await this.runOnce();
        } finally {
          this.startingOver = false;
        }
      }
      if (failure instanceof SyncFailure && failure.kind === 'version') {
        this.setState('updateRequired', failure.message);
        return;
      }
      this.failures++;
      const offline = failure instanceof SyncFailure && failure.kind === 'offline';
      this.setState(offline ? 'offline' : 'error', failure instanceof Error ? failure.message : String(failure));
      this.schedule(Math.min(this.options.maxBackoffMs ?? 60_000, 1000 * 2 ** Math.min(this.failures, 6)) * (0.75 + Math.random() / 2));
      if (!offline) throw failure;
    }
  }

  private async pushAll(api: SyncApi, token: string): Promise<void> {
    const clientGroupId = this.requireMeta(META.group);
    let after = 0;
    for (;;) {
      // Sent mutations stay in the outbox until a pull's rebase drops them (so a refused one's
      // effect is undone with it); `after` walks past those already answered.
      const batch = withinBytes(this.engine.outboxBatch(MAX_PUSH_MUTATIONS, after), this.options.pushBatchBytes ?? PUSH_BATCH_BYTES);
      const lastSent = batch.at(-1)?.id;
      if (lastSent === undefined) return;
      const response = await api.push(token, { clientGroupId, schemaVersion: SCHEMA_VERSION, mutations: batch });
      const last = response.lastMutationIds[this.engine.clientId] ?? 0;
      // The server stopped short (a gap, or a transient failure): pull, and send the rest next time.
      if (last < lastSent) return;
      after = last;
    }
  }

  private async pullAll(api: SyncApi, token: string): Promise<void> {
    const clientGroupId = this.requireMeta(META.group);
    // The cookie and the scope of the rows held: those of the last page applied (or about to be).
    const cookieText = this.engine.meta(META.cookie);
    const held = pullScopeSchema.safeParse(this.engine.meta(META.scope));
    const heldIncarnation = this.engine.meta(META.incarnation);
    const request = (cookie: number | null, scope: PullScope | null, incarnation: string | null | undefined) =>
      api.pull(token, {
        clientGroupId,
        schemaVersion: SCHEMA_VERSION,
        cookie,
        format: this.options.pullFormat ?? 'columns',
        ...(scope ? { scope } : {}),
        ...(cookie !== null && incarnation ? { incarnation } : {}),
        ...(this.options.pullLimit ? { limit: this.options.pullLimit } : {}),
      });
    // The server makes the next pages while this one is applied: each works on its own core. Only
    // the cookie links them, and a page not applied (a crash) is simply asked for again.
    const pages = new ReadAhead<PullResponse>((previous) => {
      if (previous === null) return request(cookieText === null ? null : Number(cookieText), held.success ? held.data : null, heldIncarnation);
      return previous.more ? request(previous.cookie, previous.scope, previous.incarnation) : null;
    }, PAGES_AHEAD);
    let done = 0;
    let total = 0;
    try {
      for (let page = await pages.next(); page !== null; page = await pages.next()) {
        // Queued mutations moved to a new sequence (the server lost the old one's end): send them.
        if ((await this.engine.applyPull(page)).rekeyed) this.again = true;
        done += changeCount(page.changes);
        // A first sync's first page counts everything; later pages count only a little ahead, so
        // the total is what is known so far and never shrinks.
        total = Math.max(total, done + page.remaining);
        if (!page.more) break;
        this.progress = { done, total };
        this.emit();
      }
    } finally {
      pages.stop();
      this.progress = null;
    }
  }

  private async keepNumbers(api: SyncApi, token: string): Promise<void> {
    const reserve = this.options.numberReserve ?? 200;
    while (this.engine.numbersLeft('LOAD') < reserve) {
      const lease = await api.lease(token, this.requireMeta(META.group));
      await this.engine.addLeasedBlock(lease.series, lease.first, lease.last);
    }
  }

  private async token(): Promise<string> {
    if (this.accessToken) return this.accessToken;
    if (await this.tryRefresh()) return this.accessToken ?? '';
    throw new SyncFailure('unauthorized', 'UNAUTHORIZED', 'Sign in to sync.');
  }

  private async tryRefresh(): Promise<boolean> {
    const sealed = this.engine.meta(META.refresh);
    if (!sealed) return false;
    try {
      const tokens = await this.requireApi().refresh(this.engine.openSecret(sealed));
      await this.acceptTokens(tokens, null);
      return true;
    } catch (error) {
      if (error instanceof SyncFailure && error.kind === 'unauthorized') {
        await this.engine.setMeta({ [META.refresh]: null });
        return false;
      }
      throw error;
    }
  }

  /** The verifier of `userId`'s password kept for signing in offline, if any. */
  offlineVerifier(userId: string): string | null {
    const row = prepared(this.engine.db.$client, 'SELECT verifier FROM offline_credentials WHERE user_id = ?').get(userId) as { verifier: string } | undefined;
    return row?.verifier ?? null;
  }

  /** After the user changed their password here: the new one signs in offline (no-op when none was kept). */
  async keepOfflineVerifier(userId: string, verifier: string): Promise<void> {
    await this.engine.writeLocal((db) => {
      db.$client.prepare('UPDATE offline_credentials SET verifier = ?, updated_at = ? WHERE user_id = ?').run(verifier, this.engine.now(), userId);
    });
  }

  private async acceptTokens(tokens: Tokens, password: string | null): Promise<void> {
    this.accessToken = tokens.accessToken;
    // Saved before anything else: the old refresh token is already spent on the server.
    await this.engine.setMeta({ [META.refresh]: this.engine.sealSecret(tokens.refreshToken) });
    if (password !== null) {
      const verifier = await hashPassword(password);
      await this.engine.writeLocal((db) => {
        db.$client
          .prepare(
            'INSERT INTO offline_credentials (user_id, email, verifier, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, verifier = excluded.verifier, updated_at = excluded.updated_at',
          )
          .run(tokens.user.id, tokens.user.email, verifier, this.engine.now());
      });
    }
  }

  private async loginOrExplain(api: SyncApi, email: string, password: string): Promise<Tokens> {
    try {
      return await api.login(email, password);
    } catch (error) {
      throw asDomainError(error);
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.syncNow().catch(() => undefined), ms);
    this.timer.unref();
  }

  private setState(state: SyncState, message: string | null): void {
    this.state = state;
    this.message = message;
    this.emit();
  }

  private emit(): void {
    this.options.onStatus?.(this.status());
  }

  private requireApi(): SyncApi {
    if (!this.api) throw new DomainError('CONFLICT', 'This workstation is not connected to a sync server.');
    return this.api;
  }

  private requireMeta(key: string): string {
    const value = this.engine.meta(key);
    if (!value) throw new Error(`Sync state ${key} is missing`);
    return value;
  }
}

/** The first mutations of `batch` whose JSON fits in `budget` bytes; always at least one. */
export function withinBytes<T>(batch: T[], budget: number): T[] {
  let bytes = 0;
  for (let i = 0; i < batch.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(batch[i])) + 1;
    if (bytes > budget) return batch.slice(0, Math.max(1, i));
  }
  return batch;
}

/** A sync failure as the error a clerk sees on the sign-in or connect form. */
function asDomainError(error: unknown): unknown {
  if (!(error instanceof SyncFailure)) return error;
  if (error.code === 'INVALID_CREDENTIALS' || error.status === 429) return new DomainError('INVALID_CREDENTIALS', error.message);
  if (error.kind === 'offline') return new DomainError('CONFLICT', error.message, { serverUrl: 'The server cannot be reached' });
  if (error.kind === 'refused') return new DomainError('VALIDATION', error.message, error.fields);
  return new DomainError('NOT_AUTHORIZED', error.message);
}
