import { beforeEach, describe, expect, it, vi } from 'vitest';

const exposed = new Map<string, unknown>();
const invoked: unknown[][] = [];
const listeners = new Map<string, Set<(...args: unknown[]) => void>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      invoked.push(args);
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => listeners.get(channel)?.delete(listener),
  },
}));

describe('the preload bridge', () => {
  beforeEach(async () => {
    exposed.clear();
    invoked.length = 0;
    listeners.clear();
    vi.resetModules();
    await import('../../electron/preload/index.ts');
  });

  it('exposes only window.notchify, with exactly invoke and on', () => {
    expect([...exposed.keys()]).toEqual(['notchify']);
    expect(Object.keys(exposed.get('notchify') as object).sort()).toEqual(['invoke', 'on']);
  });

  it('invokes over the one invoke channel', async () => {
    const api = exposed.get('notchify') as { invoke(n: string, i: unknown): Promise<unknown> };
    await api.invoke('customers.list', { search: 'x' });
    expect(invoked).toEqual([['notchify:invoke', 'customers.list', { search: 'x' }]]);
  });

  it('delivers only the subscribed event, refuses unknown events, and unsubscribes', () => {
    const api = exposed.get('notchify') as { on(e: string, cb: (p: unknown) => void): () => void };
    const got: unknown[] = [];
    const off = api.on('data.changed', (p) => got.push(p));
    const emit = (name: string, payload: unknown) => {
      for (const l of listeners.get('notchify:event') ?? []) l({}, name, payload);
    };
    emit('session.changed', { userId: null });
    emit('data.changed', { entities: ['customers'] });
    expect(got).toEqual([{ entities: ['customers'] }]);
    off();
    emit('data.changed', { entities: ['carriers'] });
    expect(got).toHaveLength(1);
    expect(() => api.on('ipc:anything', () => undefined)).toThrow(/Unknown event/);
  });
});
