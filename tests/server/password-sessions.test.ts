import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { hashPassword } from '../../db/password.ts';
import type { PushResponse, Tokens } from '../../shared/sync/protocol.ts';
import { envelope, pushBody, startTestServer, type TestServer } from './support.ts';

/**
 * A password change ends the sign-ins opened with the old password: a session somebody else
 * holds must not outlive it. Your own change keeps the session you made it from.
 */
let server: TestServer;
let deeId: string;
beforeAll(async () => {
  server = await startTestServer();
  deeId = await server.addUser('dee@lonestar.test', ['DISPATCHER'], 'Dee Dispatch');
});
afterAll(async () => {
  await server.close();
});

const refresh = (tokens: Tokens) => server.post<Tokens>('/api/v1/auth/refresh', { refreshToken: tokens.refreshToken });
const push = async (tokens: Tokens, name: string, args: unknown) =>
  (await server.post<PushResponse>('/api/v1/sync/push', pushBody(uuidv7(), [envelope(uuidv7(), 1, name, args, tokens.user.id)]), tokens.accessToken)).body.results[0];

describe('password changes and sessions', () => {
  it("changing your own password ends your other sign-ins and keeps the one you changed it from", async () => {
    const here = await server.login('dee@lonestar.test');
    const elsewhere = await server.login('dee@lonestar.test');
    const changed = await push(here, 'users.changeOwnPassword', { id: deeId, passwordHash: await hashPassword('a brand new password') });
    expect(changed?.status).toBe('applied');
    expect((await refresh(elsewhere)).status).toBe(401);
    const kept = await refresh(here);
    expect(kept.status).toBe(200);
    // The old password no longer signs in; the new one does.
    expect((await server.post('/api/v1/auth/login', { email: 'dee@lonestar.test', password: 'a long password' })).status).toBe(401);
    const renewed = await server.login('dee@lonestar.test', 'a brand new password');

    // An administrator's reset ends every sign-in of that user.
    const admin = await server.login('ada@lonestar.test');
    const reset = await push(admin, 'users.resetPassword', { id: deeId, passwordHash: await hashPassword('reset by the admin') });
    expect(reset?.status).toBe('applied');
    expect((await refresh(kept.body)).status).toBe(401);
    expect((await refresh(renewed)).status).toBe(401);
    // ...and none of the administrator's own.
    expect((await refresh(admin)).status).toBe(200);
  });
});
