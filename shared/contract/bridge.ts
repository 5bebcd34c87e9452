import type { EventName } from './channels.ts';
import type { Reply } from './reply.ts';

/**
 * `window.notchify`: the whole surface the renderer has. The Electron preload implements it over
 * IPC; the web host's bridge (renderer/src/lib/web-bridge.ts) over HTTP and a WebSocket.
 */
export interface NotchifyBridge {
  invoke(name: string, input: unknown): Promise<Reply<unknown>>;
  /** Subscribes to a main-process event; returns the unsubscribe function. */
  on(event: EventName, callback: (payload: unknown) => void): () => void;
}
