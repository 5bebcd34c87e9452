import axios from 'axios';
import { isEventName, type EventName } from '../../../shared/contract/channels.ts';
import type { NotchifyBridge } from '../../../shared/contract/bridge.ts';
import { replySchema } from '../../../shared/contract/reply.ts';

const KEY_STORAGE = 'notchify.launchKey';
const SESSION_STORAGE = 'notchify.sessionKey';

/** The launch key arrives once in the URL (?key=…); it is kept for this origin and dropped from the address bar. */
export function takeLaunchKey(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('key');
  if (fromUrl) {
    localStorage.setItem(KEY_STORAGE, fromUrl);
    url.searchParams.delete('key');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return localStorage.getItem(KEY_STORAGE);
}

/**
 * `window.notchify` for the web host: invoke over HTTP POST, events over a WebSocket. Each browser
 * tab gets its own session key (kept in sessionStorage, so a reload stays signed in).
 */
export async function createWebBridge(key: string): Promise<NotchifyBridge> {
  const http = axios.create({ baseURL: '/api', headers: { 'x-notchify-key': key }, timeout: 120_000 });
  let sessionKey = sessionStorage.getItem(SESSION_STORAGE);
  if (!sessionKey) {
    const { data } = await http.post<{ sessionKey: string }>('/session');
    sessionKey = data.sessionKey;
    sessionStorage.setItem(SESSION_STORAGE, sessionKey);
  }
  http.defaults.headers.common['x-notchify-session'] = sessionKey;

  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  connectEvents(key, sessionKey, listeners);

  return {
    async invoke(name, input) {
      try {
        const { data } = await http.post<unknown>('/invoke', { name, input });
        return replySchema.parse(data);
      } catch (error) {
        const message = axios.isAxiosError(error) && !error.response
          ? 'The Notchify host is not answering. Is "npm run web" still running?'
          : 'The Notchify host answered with an error.';
        return { ok: false, error: { code: 'INTERNAL', message } };
      }
    },
    on(event, callback) {
      const set = listeners.get(event) ?? new Set();
      set.add(callback);
      listeners.set(event, set);
      return () => set.delete(callback);
    },
  };
}

function connectEvents(key: string, sessionKey: string, listeners: Map<EventName, Set<(payload: unknown) => void>>): void {
  const url = new URL('/api/events', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('key', key);
  url.searchParams.set('session', sessionKey);
  let retry = 500;
  const open = () => {
    const socket = new WebSocket(url);
    socket.onopen = () => {
      retry = 500;
    };
    socket.onmessage = (message) => {
      const data = JSON.parse(String(message.data)) as { event?: unknown; payload?: unknown };
      if (!isEventName(data.event)) return;
      for (const callback of listeners.get(data.event) ?? []) callback(data.payload);
    };
    socket.onclose = (closeEvent) => {
      if (closeEvent.code === 4401) return;
      setTimeout(open, retry);
      retry = Math.min(retry * 2, 10_000);
    };
  };
  open();
}
