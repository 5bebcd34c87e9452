import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/app/core.ts';
import type { EventSink } from '../../electron/app/context.ts';
import { Engine } from '../../electron/engine/engine.ts';
import { KeyFileStore } from '../../electron/services/key-store.ts';
import type { EventName } from '../../shared/contract/channels.ts';
import type { CommandName, In, Out, Reply } from '../../shared/contract/index.ts';
import type { Actor } from '../../shared/domain/port.ts';

export function tempDir(prefix = 'notchify-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const fixedClock = (iso = '2026-11-25T15:00:00.000Z') => {
  let t = Date.parse(iso);
  return () => new Date((t += 1000));
};

export function openEngine(dir: string): Engine {
  return Engine.open({ dataDir: dir, keyStore: new KeyFileStore(dir), clock: fixedClock() });
}

export interface RecordedEvent {
  /** `all` for a broadcast, else the session key. */
  target: string;
  event: EventName;
  payload: unknown;
}

/** A test host: the real core (engine, router, handlers) with a sender that is just a session key. */
export interface TestHost {
  core: Core<TestSender>;
  events: RecordedEvent[];
  call<N extends CommandName>(name: N, input: In<N>, session?: string): Promise<Reply<Out<N>>>;
  callRaw(name: unknown, input: unknown, session?: string, trusted?: boolean): Promise<Reply<unknown>>;
  ok<N extends CommandName>(name: N, input: In<N>, session?: string): Promise<Out<N>>;
  close(): Promise<void>;
}

export interface TestSender {
  session: string;
  trusted: boolean;
}

export function openHost(dir: string, options: { migrationsDir?: string } = {}): TestHost {
  const events: RecordedEvent[] = [];
  const sink: EventSink = {
    broadcast: (event, payload) => events.push({ target: 'all', event, payload }),
    toSession: (target, event, payload) => events.push({ target, event, payload }),
  };
  const core = createCore<TestSender>({
    ...options,
    dataDir: dir,
    keyStore: new KeyFileStore(dir),
    clock: fixedClock(),
    events: sink,
    isTrustedSender: (s) => s.trusted,
    sessionKeyOf: (s) => s.session,
    logError: (error) => {
      throw error;
    },
  });
  const callRaw = (name: unknown, input: unknown, session = 'main', trusted = true) =>
    core.route({ session, trusted }, name, input);
  const call = async <N extends CommandName>(name: N, input: In<N>, session = 'main') =>
    (await callRaw(name, input, session)) as Reply<Out<N>>;
  return {
    core,
    events,
    callRaw,
    call,
    async ok(name, input, session = 'main') {
      const reply = await call(name, input, session);
      if (!reply.ok) throw new Error(`${name} refused: ${JSON.stringify(reply.error)}`);
      return reply.value;
    },
    close: () => core.close(),
  };
}

export const ADMIN_PASSWORD = 'correct horse battery';

/** First run: the workspace and its admin, signed in on session `main`. */
export async function setUpWorkspace(host: TestHost, session = 'main') {
  return host.ok(
    'workspace.setup',
    { workspaceName: 'Lone Star Logistics', name: 'Ada Admin', email: 'ada@lonestar.test', password: ADMIN_PASSWORD },
    session,
  );
}

export function actorOf(user: { id: string; roles: Actor['roles'] }): Actor {
  return { userId: user.id, roles: user.roles };
}
