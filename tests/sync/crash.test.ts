import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../db/password.ts';
import { customerInput } from '../support/fixtures.ts';
import { testBox } from '../server/support.ts';
import { Desktop, expectConverged, newId, startSyncServer, type SyncServer } from './support.ts';

const CHILD = resolve(import.meta.dirname, 'support', 'desktop-process.ts');

/** Runs the child desktop until it prints `until`, then kills it with SIGKILL. */
function runUntilKilled(args: string[], until: RegExp): Promise<string> {
  return new Promise((resolveOutput, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (until.test(output)) child.kill('SIGKILL');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolveOutput(output) : reject(new Error(`the desktop exited before it was killed:\n${output}`))));
  });
}

let server: SyncServer;
let admin: Desktop;
let clerk: Desktop;

beforeAll(async () => {
  server = await startSyncServer();
  admin = new Desktop('admin');
  await admin.connect(server, 'ada@lonestar.test');
  await admin.mutate('users.create', { id: newId(), email: 'ari@lonestar.test', name: 'Ari Receivables', roles: ['AR_CLERK'], passwordHash: await hashPassword('a long password') });
  for (let i = 0; i < 120; i++) await admin.mutate('customers.create', { ...customerInput({ email: `base${String(i)}@acme.test` }), id: newId() });
  await admin.sync.syncNow();
});

afterAll(async () => {
  await clerk.close();
  await admin.close();
  await server.close();
});

describe('a desktop killed with SIGKILL', () => {
  it('mid-way through its first sync resumes from the last whole page: nothing lost, nothing doubled', async () => {
    clerk = new Desktop('clerk');
    await clerk.engine.close();
    const output = await runUntilKilled(['connect', clerk.dir, server.url, 'ari@lonestar.test', 'a long password'], /page 3 /);
    expect(output).not.toContain('synced');
    await clerk.restart({ graceful: false });
    clerk.userId = clerk.engine.meta('syncUserId') ?? '';
    clerk.roles = ['AR_CLERK'];
    const partial = clerk.rows('customers').length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(120);
    await clerk.sync.syncNow();
    await expectConverged(server, [clerk, admin], (s) => testBox.open(s));
  });

  it('between the local commit and the push keeps every mutation, and sends each exactly once', async () => {
    await clerk.engine.close();
    const before = await server.count('customers');
    await runUntilKilled(['mutate', clerk.dir, '25'], /committed 25/);
    await clerk.restart({ graceful: false });
    expect(clerk.outboxSize()).toBe(25);
    clerk.dropPushResponses = 1; // and the first push's answer is lost too
    await clerk.sync.syncNow();
    await clerk.sync.syncNow();
    expect(await server.count('customers')).toBe(before + 25);
    await admin.sync.syncNow();
    await expectConverged(server, [clerk, admin], (s) => testBox.open(s));
  });
});
