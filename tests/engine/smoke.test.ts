import { afterEach, describe, expect, it } from 'vitest';
import { customerInput, carrierInput } from '../support/fixtures.ts';
import { openHost, setUpWorkspace, tempDir, type TestHost } from '../support/engine.ts';

describe('smoke', () => {
  let host: TestHost;
  let cleanup: () => void;
  afterEach(async () => {
    await host.close();
    cleanup();
  });
  it('sets up, creates a customer and a carrier', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    host = openHost(t.dir);
    const admin = await setUpWorkspace(host);
    expect(admin.roles).toEqual(['ADMIN']);
    const c = await host.ok('customers.create', customerInput());
    expect(c.version).toBe(1);
    const k = await host.ok('carriers.create', carrierInput());
    const list = await host.ok('carriers.list', { search: 'red river' });
    expect(list.total).toBe(1);
    const got = await host.ok('carriers.get', { id: k.id });
    expect(got).not.toHaveProperty('bankAccountSealed');
    console.log(JSON.stringify(await host.ok('customers.list', {}), null, 1).slice(0, 600));
  });
});
