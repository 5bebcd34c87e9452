import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createWebHost, type WebHost } from '../../electron/web-host/server.ts';
import { KeyFileStore } from '../../electron/services/key-store.ts';
import { customerInput } from '../support/fixtures.ts';
import { fixedClock, tempDir } from '../support/engine.ts';

const SECRET = 'test-launch-secret-0123456789abcdef';

let dir: string;
let cleanup: () => void;
let host: WebHost;
let origin: string;
let hostHeader: string;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Notchify</title>');
  host = createWebHost({ dataDir: join(dir, 'data'), keyStore: new KeyFileStore(join(dir, 'data')), rendererDir: join(dir, 'renderer'), secret: SECRET, clock: fixedClock() });
  const url = await host.listen();
  origin = new URL(url).origin;
  hostHeader = new URL(url).host;
});

afterEach(async () => {
  await host.close();
  cleanup();
});

async function newSession(): Promise<string> {
  const res = await host.app.inject({ method: 'POST', url: '/api/session', headers: { host: hostHeader, 'x-notchify-key': SECRET } });
  expect(res.statusCode).toBe(200);
  return res.json<{ sessionKey: string }>().sessionKey;
}

async function invoke(name: string, input: unknown, headers: Record<string, string>) {
  const res = await host.app.inject({ method: 'POST', url: '/api/invoke', headers: { host: hostHeader, ...headers }, payload: { name, input } });
  return { status: res.statusCode, body: res.json<{ ok: boolean; error?: { code: string }; value?: unknown }>() };
}

describe('the web host', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying the launch key', async () => {
    const address = host.app.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
    const page = await host.app.inject({ method: 'GET', url: '/', headers: { host: hostHeader } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses a Host header other than the loopback address (DNS rebinding)', async () => {
    for (const h of ['evil.example', `evil.example:${hostHeader.split(':')[1] ?? ''}`, '192.168.1.5:5178']) {
      const res = await host.app.inject({ method: 'GET', url: '/', headers: { host: h } });
      expect(res.statusCode, h).toBe(421);
    }
  });

  it('refuses calls from another origin, even with the key', async () => {
    const session = await newSession();
    const res = await invoke('customers.list', {}, { 'x-notchify-key': SECRET, 'x-notchify-session': session, origin: 'http://localhost:3000' });
    expect(res.status).toBe(403);
    const same = await invoke('session.current', {}, { 'x-notchify-key': SECRET, 'x-notchify-session': session, origin });
    expect(same.body.ok).toBe(true);
  });

  it('answers FORBIDDEN_SENDER without the launch key, and writes nothing', async () => {
    const withoutKey = await invoke('workspace.setup', { workspaceName: 'X', name: 'X', email: 'x@x.test', password: 'long enough pw' }, {});
    expect(withoutKey.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    const wrongKey = await invoke('session.current', {}, { 'x-notchify-key': `${SECRET}x` });
    expect(wrongKey.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    const res = await host.app.inject({ method: 'POST', url: '/api/session', headers: { host: hostHeader } });
    expect(res.statusCode).toBe(401);
    const session = await newSession();
    const state = await invoke('session.current', {}, { 'x-notchify-key': SECRET, 'x-notchify-session': session });
    expect(state.body).toMatchObject({ ok: true, value: { workspace: null } });
  });

  it('runs the shared router: set-up, then a customer, per session', async () => {
    const session = await newSession();
    const headers = { 'x-notchify-key': SECRET, 'x-notchify-session': session };
    const setup = await invoke('workspace.setup', { workspaceName: 'Web Co', name: 'Wes', email: 'wes@x.test', password: 'long enough pw' }, headers);
    expect(setup.body.ok).toBe(true);
    expect((await invoke('customers.create', customerInput(), headers)).body.ok).toBe(true);
    const other = await newSession();
    expect((await invoke('customers.list', {}, { 'x-notchify-key': SECRET, 'x-notchify-session': other })).body).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    });
  });

  it('answers malformed and oversized bodies with a clear refusal', async () => {
    const headers = { host: hostHeader, 'x-notchify-key': SECRET, 'content-type': 'application/json' };
    const notJson = await host.app.inject({ method: 'POST', url: '/api/invoke', headers, payload: '{"name":' });
    expect(notJson.statusCode).toBe(400);
    const wrongShape = await host.app.inject({ method: 'POST', url: '/api/invoke', headers, payload: JSON.stringify({ name: 42 }) });
    expect(wrongShape.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    const huge = await host.app.inject({ method: 'POST', url: '/api/invoke', headers, payload: JSON.stringify({ name: 'session.current', input: { pad: 'x'.repeat(1_100_000) } }) });
    expect(huge.statusCode).toBe(413);
  });

  it('pushes change events over the WebSocket to holders of the key only', async () => {
    const session = await newSession();
    const wsUrl = `ws://${hostHeader}/api/events?key=${SECRET}&session=${session}`;
    const socket = new WebSocket(wsUrl, { headers: { origin } });
    const messages: unknown[] = [];
    socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString())));
    await new Promise((r) => socket.once('open', r));

    const rejected = new WebSocket(`ws://${hostHeader}/api/events?key=wrong&session=x`, { headers: { origin } });
    const closeCode = await new Promise<number>((r) => rejected.once('close', (code: number) => r(code)));
    expect(closeCode).toBe(4401);

    const headers = { 'x-notchify-key': SECRET, 'x-notchify-session': session };
    await invoke('workspace.setup', { workspaceName: 'Web Co', name: 'Wes', email: 'wes@x.test', password: 'long enough pw' }, headers);
    await invoke('customers.create', customerInput(), headers);
    await new Promise((r) => setTimeout(r, 100));
    expect(messages).toContainEqual({ event: 'session.changed', payload: { userId: expect.any(String) as unknown } });
    expect(messages).toContainEqual({ event: 'data.changed', payload: { entities: ['customers', 'outbox'] } });
    socket.close();
  });
});
