import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadDataKey } from '../../server/secrets.ts';
import { v7 as uuidv7 } from 'uuid';
import type { PushResponse } from '../../shared/sync/protocol.ts';
import { carrierInput } from '../support/fixtures.ts';
import { envelope, pushBody, startTestServer, TEST_DATA_KEY, type TestServer } from './support.ts';

/**
 * Every server instance on one database must seal and open bank account numbers with the same
 * key. One started with a key of its own (no NOTCHIFY_SERVER_KEY, a fresh key file) would fail
 * every pull that carries them; it is refused at start instead, saying what to do.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const otherKey = () => randomBytes(32);

describe('the data key', () => {
  it('starts another instance with the same key', async () => {
    const app = await buildApp({ db: server.db, dataKey: TEST_DATA_KEY });
    expect((await app.inject('/health')).statusCode).toBe(200);
    await app.close();
  });

  it('refuses to start an instance with a key of its own, naming NOTCHIFY_SERVER_KEY', async () => {
    await expect(buildApp({ db: server.db, dataKey: otherKey() })).rejects.toThrow(/NOTCHIFY_SERVER_KEY/);
  });

  it('checks a database from before the check against a carrier’s sealed account number', async () => {
    const { accessToken } = await server.login('ada@lonestar.test');
    const args = { ...carrierInput(), id: uuidv7(), bankAccount: { routingNumber: '021000021', accountNumber: '000123456789', accountType: 'CHECKING', holderName: 'Red River' } };
    const pushed = await server.post<PushResponse>('/api/v1/sync/push', pushBody(uuidv7(), [envelope(uuidv7(), 1, 'carriers.create', args, server.adminId)]), accessToken);
    expect(pushed.body.results[0]?.status).toBe('applied');
    await server.db.query("DELETE FROM server_meta WHERE key = 'dataKeyCheck'");
    await expect(buildApp({ db: server.db, dataKey: otherKey() })).rejects.toThrow(/NOTCHIFY_SERVER_KEY/);
    const app = await buildApp({ db: server.db, dataKey: TEST_DATA_KEY });
    await app.close();
    expect(await server.count("server_meta WHERE key = 'dataKeyCheck'")).toBe(1);
  });

  it('makes a key file readable only by the server on first start, and reads the same key back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'notchify-key-'));
    try {
      const key = loadDataKey(dir, {});
      expect(key).toHaveLength(32);
      expect(loadDataKey(dir, {}).equals(key)).toBe(true);
      expect(loadDataKey(dir, { NOTCHIFY_SERVER_KEY: TEST_DATA_KEY.toString('base64') }).equals(TEST_DATA_KEY)).toBe(true);
      expect(() => loadDataKey(dir, { NOTCHIFY_SERVER_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
