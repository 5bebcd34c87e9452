import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyFileStore } from '../../electron/services/key-store.ts';
import { createWebHost, type WebHost } from '../../electron/web-host/server.ts';
import { fixedClock, tempDir } from '../support/engine.ts';

/** Without an injected secret (as `npm run web` starts it), each launch makes its own key. */
interface Launched {
  host: WebHost;
  origin: string;
  keyInUrl: string | null;
}

const launched: Launched[] = [];
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  for (const name of ['first', 'second']) {
    const { dir, cleanup } = tempDir(`notchify-web-${name}-`);
    cleanups.push(cleanup);
    const dataDir = join(dir, 'data');
    const host = createWebHost({ dataDir, keyStore: new KeyFileStore(dataDir), rendererDir: join(dir, 'no-renderer'), clock: fixedClock() });
    const url = new URL(await host.listen());
    launched.push({ host, origin: url.origin, keyInUrl: url.searchParams.get('key') });
  }
});

afterAll(async () => {
  for (const { host } of launched) await host.close();
  for (const cleanup of cleanups) cleanup();
});

function at(i: number): Launched {
  const entry = launched[i];
  if (!entry) throw new Error(`host ${String(i)} did not start`);
  return entry;
}

const newSession = (target: Launched, key?: string) =>
  fetch(`${target.origin}/api/session`, { method: 'POST', headers: key === undefined ? {} : { 'x-notchify-key': key } });

describe('the web host launch secret', () => {
  it('is random per launch, long, and carried by the URL to open', () => {
    const [first, second] = [at(0), at(1)];
    expect(first.host.secret).not.toBe(second.host.secret);
    for (const { host, keyInUrl } of [first, second]) {
      expect(host.secret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
      expect(keyInUrl).toBe(host.secret);
    }
  });

  it('refuses a request without the secret, or with another launch\'s', async () => {
    const [first, second] = [at(0), at(1)];
    expect((await newSession(first)).status).toBe(401);
    expect((await newSession(first, second.host.secret)).status).toBe(401);
    expect((await newSession(first, first.host.secret)).status).toBe(200);

    const invoke = await fetch(`${first.origin}/api/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'session.current', input: {} }),
    });
    expect(await invoke.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
});
