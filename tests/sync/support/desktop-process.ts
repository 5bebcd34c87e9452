import { v7 as uuidv7 } from 'uuid';
import { Engine } from '../../../electron/engine/engine.ts';
import { KeyFileStore } from '../../../electron/services/key-store.ts';
import { SyncClient } from '../../../electron/sync/sync-client.ts';
import type { Role } from '../../../shared/domain/roles.ts';
import { customerInput } from '../../support/fixtures.ts';

/**
 * A desktop in a process of its own, for the crash tests: the parent kills it (SIGKILL) at the
 * moment it prints, then reopens the same data folder.
 *   connect <dataDir> <serverUrl> <email> <password>  first sync in small pages; prints "page N"
 *   mutate <dataDir> <count>                           offline mutations; prints "committed N"
 */
const [mode, dataDir, ...rest] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: desktop-process.ts connect|mutate <dataDir> …');
const engine = Engine.open({ dataDir, keyStore: new KeyFileStore(dataDir) });

if (mode === 'connect') {
  const [serverUrl, email, password] = rest;
  let pages = 0;
  const sync = new SyncClient(engine, {
    pullLimit: 20,
    onStatus: (status) => {
      if (status.progress) console.log(`page ${String(++pages)} ${String(status.progress.done)}/${String(status.progress.total)}`);
    },
  });
  await sync.connect(serverUrl ?? '', email ?? '', password ?? '');
  console.log('synced');
} else if (mode === 'mutate') {
  const count = Number(rest[0]);
  const userId = engine.meta('syncUserId') ?? '';
  const user = engine.db.$client.prepare('SELECT roles FROM users WHERE id = ?').get(userId) as { roles: string };
  const actor = { userId, roles: JSON.parse(user.roles) as Role[] };
  for (let i = 1; i <= count; i++) {
    const id = uuidv7();
    await engine.mutate('customers.create', { ...customerInput({ email: `crash-${id.slice(-12)}@acme.test` }), id }, actor);
  }
  console.log(`committed ${String(count)}`);
}
// Stay alive until killed, holding the store open as a crashed app would.
setInterval(() => undefined, 60_000);
