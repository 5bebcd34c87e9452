import { describe, expect, it } from 'vitest';
import { readHandlers } from '../../electron/app/handlers/index.ts';
import { mutationHooks } from '../../electron/app/handlers/mutation-hooks.ts';
import { COMMAND_NAMES, contract, isMutation } from '../../shared/contract/index.ts';
import { mutators } from '../../shared/domain/mutators/index.ts';
import { PERMISSIONS } from '../../shared/domain/roles.ts';

const GARBAGE: unknown[] = [null, undefined, 42, 'customers', true, [], [1, 2], () => 1, Symbol('x')];

/** The smallest wrong-typed value for each key of an object input. */
function wrongTypes(shape: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(shape).map((key) => [key, { nested: [Symbol.name] }]));
}

describe('the contract', () => {
  it('names every command area.verb', () => {
    for (const name of COMMAND_NAMES) expect(name).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
  });

  it('gives every command exactly one implementation: a mutator for mutations, a handler otherwise', () => {
    for (const name of COMMAND_NAMES) {
      const spec = contract[name];
      const hasMutator = Object.hasOwn(mutators, name);
      const hasHandler = Object.hasOwn(readHandlers, name);
      if (isMutation(spec)) {
        expect(hasMutator, `${name} has a mutator`).toBe(true);
        expect(hasHandler, `${name} has no read handler`).toBe(false);
      } else {
        expect(hasHandler, `${name} has a handler`).toBe(true);
        expect(hasMutator, `${name} has no mutator`).toBe(false);
      }
    }
    expect(Object.keys(mutators).sort()).toEqual(COMMAND_NAMES.filter((n) => isMutation(contract[n])).sort());
    for (const hooked of Object.keys(mutationHooks)) expect(COMMAND_NAMES).toContain(hooked);
  });

  it('declares who may call every command', () => {
    for (const name of COMMAND_NAMES) {
      const { access } = contract[name];
      expect(['public', 'signedIn', ...PERMISSIONS], name).toContain(access);
    }
    const publicOnes = COMMAND_NAMES.filter((n) => contract[n].access === 'public').sort();
    // Before sign-in: the session, sign-in itself, first-run set-up, and connecting a new workstation to a server.
    expect(publicOnes).toEqual(['session.current', 'session.signIn', 'sync.connect', 'sync.status', 'workspace.setup']);
  });

  it('has schemas that refuse garbage', () => {
    for (const name of COMMAND_NAMES) {
      const spec = contract[name];
      for (const value of GARBAGE) {
        expect(spec.input.safeParse(value).success, `${name} input accepts ${typeof value}`).toBe(false);
        if (isMutation(spec)) expect(spec.args.safeParse(value).success, `${name} args accept ${typeof value}`).toBe(false);
      }
      const shape = (spec.input as unknown as { shape?: Record<string, unknown> }).shape;
      if (shape && Object.keys(shape).length > 0) {
        expect(spec.input.safeParse(wrongTypes(shape)).success, `${name} accepts wrong types`).toBe(false);
      }
    }
  });

  it('keeps mutation args idempotent under parsing (the server parses them again)', async () => {
    const { customerInput, carrierInput } = await import('../support/fixtures.ts');
    const samples: [string, unknown][] = [
      ['customers.create', { ...customerInput(), id: '0190c5b0-0000-7000-8000-000000000001', phone: '' }],
      ['carriers.create', { ...carrierInput(), id: '0190c5b0-0000-7000-8000-000000000002', mcNumber: 'mc 77' }],
    ];
    for (const [name, args] of samples) {
      const spec = contract[name as 'customers.create'];
      const once = spec.args.parse(args);
      expect(spec.args.parse(once)).toEqual(once);
    }
  });
});
