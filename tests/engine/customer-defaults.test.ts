import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract/index.ts';
import { customerInput } from '../support/fixtures.ts';
import { openHost, setUpWorkspace, tempDir, type TestHost } from '../support/engine.ts';

/** seed/platform-architecture.md: a customer starts at a $0 credit limit on Net 30 terms. */
let cleanup: () => void;
let host: TestHost;

beforeEach(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  host = openHost(t.dir);
  await setUpWorkspace(host);
});

afterEach(async () => {
  await host.close();
  cleanup();
});

function withoutCreditAndTerms() {
  const { creditLimitCents: _credit, paymentTerms: _terms, ...rest } = customerInput();
  return rest;
}

describe('a new customer', () => {
  it('gets a $0 credit limit and Net 30 terms when the input names neither', async () => {
    const { id } = await host.ok('customers.create', withoutCreditAndTerms());
    expect(await host.ok('customers.get', { id })).toMatchObject({ creditLimitCents: 0, paymentTerms: 'NET_30' });

    // What goes to the server names both, so the server's args schema takes it as it is.
    const [row] = host.core.engine.db.$client.prepare("SELECT args FROM outbox WHERE name = 'customers.create'").all() as { args: string }[];
    const args = contract['customers.create'].args.parse(JSON.parse(row?.args ?? 'null'));
    expect(args).toMatchObject({ id, creditLimitCents: 0, paymentTerms: 'NET_30' });
  });

  it('keeps terms the input names', async () => {
    const { id } = await host.ok('customers.create', customerInput({ paymentTerms: 'NET_15' }));
    expect((await host.ok('customers.get', { id })).paymentTerms).toBe('NET_15');
  });

  it('is the only place the defaults apply: an update must name the limit and the terms', async () => {
    const { id } = await host.ok('customers.create', customerInput({ paymentTerms: 'NET_60' }));
    const reply = await host.callRaw('customers.update', { ...withoutCreditAndTerms(), id, expectedVersion: 1 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((await host.ok('customers.get', { id })).paymentTerms).toBe('NET_60');
  });
});
