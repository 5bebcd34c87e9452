import { Engine, type EngineOptions } from '../engine/engine.ts';
import type { EventSink } from './context.ts';
import { mutationHooks } from './handlers/mutation-hooks.ts';
import { readHandlers } from './handlers/index.ts';
import { createRouter, type Route } from './router.ts';
import { Sessions } from './sessions.ts';
import { SignInThrottle } from './sign-in-throttle.ts';
import { SyncClient, type SyncClientOptions } from '../sync/sync-client.ts';

export interface CoreOptions<Sender> extends EngineOptions {
  events: EventSink;
  isTrustedSender(sender: Sender): boolean;
  sessionKeyOf(sender: Sender): string;
  logError?(error: unknown, name: string): void;
  /** Test seams for the sync client (fetch, page sizes). */
  sync?: Omit<SyncClientOptions, 'onStatus'>;
}

export interface Core<Sender> {
  engine: Engine;
  sessions: Sessions;
  sync: SyncClient;
  route: Route<Sender>;
  close(): Promise<void>;
}

/**
 * Everything both hosts share: the engine on the data folder, the sessions and the router.
 * The Electron host plugs in IPC and the sender-frame check; the web host HTTP, WebSocket and
 * its launch secret. No handler exists twice.
 */
export function createCore<Sender>(options: CoreOptions<Sender>): Core<Sender> {
  const engine = Engine.open(options);
  const sessions = new Sessions();
  const sync = new SyncClient(engine, { ...options.sync, onStatus: (status) => options.events.broadcast('sync.changed', status) });
  const route = createRouter<Sender>({
    engine,
    sessions,
    throttle: new SignInThrottle(),
    events: options.events,
    sync,
    handlers: readHandlers,
    hooks: mutationHooks,
    isTrustedSender: (sender) => options.isTrustedSender(sender),
    sessionKeyOf: (sender) => options.sessionKeyOf(sender),
    logError: (error, name) => options.logError?.(error, name),
  });
  const unsubscribe = engine.onChange((entities) => options.events.broadcast('data.changed', { entities }));
  // A clerk's change goes to the server at once when online.
  const unsubscribeCommands = engine.onCommand(() => sync.trigger());
  // A connected workstation keeps syncing (with the refresh token it holds) from the start.
  if (sync.connected) sync.start();
  return {
    engine,
    sessions,
    sync,
    route,
    async close() {
      sync.stop();
      unsubscribe();
      unsubscribeCommands();
      await engine.close();
    },
  };
}
