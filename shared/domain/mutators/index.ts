import { contract, type Args, type MutationName, type Out } from '../../contract/index.ts';
import { parseInput } from '../../contract/parse.ts';
import { DomainError } from '../errors.ts';
import type { TxPort } from '../port.ts';
import { createCarrier, setCarrierBankAccount, setCarrierStatus, updateCarrier } from './carriers.ts';
import { createCustomer, setCustomerStatus, updateCustomer } from './customers.ts';
import { bookLoad, cancelLoad, createLoad, logCheckCall, overrideCredit, transitionLoad, updateLoad } from './loads.ts';
import { hasAccess } from './guards.ts';
import { changeOwnPassword, createUser, resetPassword, setupWorkspace, updateUser } from './users.ts';

export type MutatorFn<N extends MutationName> = (tx: TxPort, args: Args<N>) => Promise<Out<N>>;
export type Mutators = { [N in MutationName]: MutatorFn<N> };

/** Every mutation of the contract has exactly one mutator here (a missing one fails to compile). */
export const mutators = {
  'workspace.setup': setupWorkspace,
  'users.create': createUser,
  'users.update': updateUser,
  'users.resetPassword': resetPassword,
  'users.changeOwnPassword': changeOwnPassword,
  'customers.create': createCustomer,
  'customers.update': updateCustomer,
  'customers.setStatus': setCustomerStatus,
  'carriers.create': createCarrier,
  'carriers.update': updateCarrier,
  'carriers.setStatus': setCarrierStatus,
  'carriers.setBankAccount': setCarrierBankAccount,
  'loads.create': createLoad,
  'loads.update': updateLoad,
  'loads.book': bookLoad,
  'loads.overrideCredit': overrideCredit,
  'loads.transition': transitionLoad,
  'loads.cancel': cancelLoad,
  'loads.checkCall': logCheckCall,
} satisfies Mutators;

/**
 * Runs one mutation against a transaction port: checks the actor's permission (again, so the
 * server re-checks it at replay time), parses the args (the server gets them off the wire), and
 * runs the rule. Throws DomainError on refusal; the caller's transaction then rolls back.
 */
export async function runMutation<N extends MutationName>(tx: TxPort, name: N, rawArgs: unknown): Promise<Out<N>> {
  const spec = contract[name];
  if (!hasAccess(tx.actor, spec.access)) {
    throw new DomainError('NOT_AUTHORIZED', 'Your role does not allow this. Ask an administrator if you need it.');
  }
  const args = parseInput(spec.args, rawArgs) as Args<N>;
  const table: Mutators = mutators;
  const mutator: MutatorFn<N> = table[name];
  return mutator(tx, args);
}
