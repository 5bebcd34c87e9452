import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignInThrottle } from '../../electron/app/sign-in-throttle.ts';
import { carrierInput, customerInput } from '../support/fixtures.ts';
import { ADMIN_PASSWORD, openHost, setUpWorkspace, tempDir, type TestHost } from '../support/engine.ts';

let cleanup: () => void;
let host: TestHost;

beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  host = openHost(t.dir);
});

afterEach(async () => {
  await host.close();
  cleanup();
});

describe('the router', () => {
  it('refuses a sender that is not our UI, before anything else', async () => {
    await setUpWorkspace(host);
    const reply = await host.callRaw('customers.list', {}, 'main', false);
    expect(reply).toEqual({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: expect.any(String) as unknown } });
  });

  it('refuses an unknown command name', async () => {
    for (const name of ['customers.drop', '', 42, null, '__proto__', 'constructor', 'toString']) {
      const reply = await host.callRaw(name, {});
      expect(reply, String(name)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    }
  });

  it('answers NOT_SIGNED_IN before sign-in and NOT_AUTHORIZED for a role without the permission', async () => {
    await setUpWorkspace(host);
    expect(await host.callRaw('customers.list', {}, 'nobody')).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    await host.ok('users.create', { email: 'v@x.test', name: 'V', roles: ['VIEWER'], password: 'viewer password' });
    await host.ok('session.signIn', { email: 'v@x.test', password: 'viewer password' }, 'viewer');
    expect(await host.callRaw('customers.list', {}, 'viewer')).toMatchObject({ ok: true });
    // Refused on permission even with garbage input: no field-by-field hints for someone not allowed.
    expect(await host.callRaw('users.list', 'garbage', 'viewer')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORIZED' } });
  });

  it('answers bad input with a VALIDATION error naming each field', async () => {
    await setUpWorkspace(host);
    const reply = await host.call('customers.create', customerInput({ email: 'x', billingEmail: '', creditLimitCents: -1 }));
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('VALIDATION');
    expect(Object.keys(reply.error.fields ?? {}).sort()).toEqual(['billingEmail', 'creditLimitCents', 'email']);
    expect(reply.error.message).toBe('Check the 3 highlighted fields');
  });

  it('strips from outputs whatever the contract does not name (no password hash ever leaves)', async () => {
    const admin = await setUpWorkspace(host);
    expect(admin).not.toHaveProperty('passwordHash');
    const users = await host.ok('users.list', {});
    for (const user of users) expect(user).not.toHaveProperty('passwordHash');
    const session = await host.ok('session.current', {});
    expect(session.user).not.toHaveProperty('passwordHash');
    const { id } = await host.ok('carriers.create', carrierInput());
    expect(await host.ok('carriers.get', { id })).not.toHaveProperty('bankAccountSealed');
  });

  it('ends the session of a deactivated user at their next call', async () => {
    await setUpWorkspace(host);
    const { id } = await host.ok('users.create', { email: 'd@x.test', name: 'Dee', roles: ['DISPATCHER'], password: 'dispatcher pass' });
    await host.ok('session.signIn', { email: 'd@x.test', password: 'dispatcher pass' }, 'dee');
    expect((await host.ok('session.current', {}, 'dee')).user?.name).toBe('Dee');
    await host.ok('users.update', { id, expectedVersion: 1, name: 'Dee', roles: ['DISPATCHER'], active: false });
    expect((await host.ok('session.current', {}, 'dee')).user).toBeNull();
    expect(await host.call('session.signIn', { email: 'd@x.test', password: 'dispatcher pass' }, 'dee')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS' },
    });
  });

  it('applies a role change at the next call', async () => {
    await setUpWorkspace(host);
    const { id } = await host.ok('users.create', { email: 'r@x.test', name: 'Ray', roles: ['VIEWER'], password: 'viewer password' });
    await host.ok('session.signIn', { email: 'r@x.test', password: 'viewer password' }, 'ray');
    expect(await host.call('customers.create', customerInput(), 'ray')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORIZED' } });
    await host.ok('users.update', { id, expectedVersion: 1, name: 'Ray', roles: ['AR_CLERK'], active: true });
    expect(await host.call('customers.create', customerInput(), 'ray')).toMatchObject({ ok: true });
  });

  it('signs in and out per session, and refuses a wrong password the same way as an unknown email', async () => {
    await setUpWorkspace(host, 'first');
    expect((await host.ok('session.current', {}, 'first')).user?.email).toBe('ada@lonestar.test');
    expect((await host.ok('session.current', {}, 'second')).user).toBeNull();
    const wrong = await host.call('session.signIn', { email: 'ada@lonestar.test', password: 'nope nope nope' }, 'second');
    const unknown = await host.call('session.signIn', { email: 'who@lonestar.test', password: 'nope nope nope' }, 'second');
    expect(wrong).toEqual(unknown);
    await host.ok('session.signIn', { email: 'ADA@lonestar.test ', password: ADMIN_PASSWORD }, 'second');
    await host.ok('session.signOut', {}, 'first');
    expect((await host.ok('session.current', {}, 'first')).user).toBeNull();
    expect((await host.ok('session.current', {}, 'second')).user?.name).toBe('Ada Admin');
    expect(host.events.filter((e) => e.event === 'session.changed').map((e) => e.target)).toEqual(['first', 'second', 'first']);
  });

  it('tells every window what changed after a mutation', async () => {
    await setUpWorkspace(host);
    host.events.length = 0;
    await host.ok('customers.create', customerInput());
    expect(host.events).toEqual([{ target: 'all', event: 'data.changed', payload: { entities: ['customers', 'outbox'] } }]);
  });
});

describe('sign-in throttling', () => {
  it('waits longer after each failure beyond the third, and forgets on success', async () => {
    const waits: number[] = [];
    const throttle = new SignInThrottle((ms) => {
      waits.push(ms);
      return Promise.resolve();
    });
    for (let i = 0; i < 7; i++) {
      await throttle.beforeAttempt('a@x.test');
      throttle.failed('a@x.test');
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    expect(throttle.delayFor('b@x.test')).toBe(0);
    throttle.succeeded('a@x.test');
    expect(throttle.delayFor('a@x.test')).toBe(0);
    for (let i = 0; i < 40; i++) throttle.failed('a@x.test');
    expect(throttle.delayFor('a@x.test')).toBe(30_000);
  });
});
