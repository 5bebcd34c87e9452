import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../db/password.ts';
import { openHost, tempDir, type TestHost } from '../support/engine.ts';
import { PASSWORD } from '../server/support.ts';
import { startSyncServer, type SyncServer } from './support.ts';

/**
 * On a workstation connected to a server the users' password hashes stay on the server, so the
 * "current password" of a password change is checked against the verifier kept for signing in
 * offline; the change syncs, and the new password then signs in both online and offline.
 */
let server: SyncServer;
let host: TestHost;
let cleanup: () => void;
beforeAll(async () => {
  server = await startSyncServer();
  const made = tempDir('notchify-connected-');
  cleanup = made.cleanup;
  host = openHost(made.dir);
  await host.ok('sync.connect', { serverUrl: server.url, email: 'ada@lonestar.test', password: PASSWORD });
});
afterAll(async () => {
  await host.close();
  cleanup();
  await server.close();
});

describe('changing your password on a connected workstation', () => {
  it('checks the current password, syncs the change, and signs in with the new one online and offline', async () => {
    const wrong = await host.call('users.changeOwnPassword', { currentPassword: 'not my password', newPassword: 'a brand new password' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS', fields: { currentPassword: 'Your current password is not right' } } });

    await host.ok('users.changeOwnPassword', { currentPassword: PASSWORD, newPassword: 'a brand new password' });
    await host.core.sync.syncNow();
    expect(host.core.engine.pendingCount()).toBe(0);
    expect((await server.post('/api/v1/auth/login', { email: 'ada@lonestar.test', password: PASSWORD })).status).toBe(401);
    expect((await server.post('/api/v1/auth/login', { email: 'ada@lonestar.test', password: 'a brand new password' })).status).toBe(200);

    const verifier = host.core.sync.offlineVerifier(host.core.sync.userId ?? '');
    expect(verifier).not.toBeNull();
    expect(await verifyPassword(verifier ?? '', 'a brand new password')).toBe(true);
    expect(await verifyPassword(verifier ?? '', PASSWORD)).toBe(false);
  });
});
