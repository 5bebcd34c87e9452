import type { z } from 'zod';
import type { Permission } from '../domain/roles.ts';

/**
 * Who may call a command: a permission of the role matrix, `signedIn` (any signed-in user) or
 * `public` (before sign-in: first-run set-up, sign-in itself).
 */
export type Access = Permission | 'signedIn' | 'public';

/** Number series users see; blocks of them are held by each workstation. */
export const NUMBER_SERIES = ['LOAD'] as const;
export type NumberSeries = (typeof NUMBER_SERIES)[number];

interface BaseSpec<I extends z.ZodType, O extends z.ZodType> {
  /** One line for the docs, the OpenAPI document and the command palette. */
  summary: string;
  input: I;
  output: O;
  access: Access;
}

/** A read. Runs on the engine's read connection; changes nothing. */
export interface QuerySpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> extends BaseSpec<I, O> {
  kind: 'query';
}

/**
 * A change to business data. The host turns the input into `args` (adds the client-made id,
 * hashes a password), then the shared mutator runs with `args` in one transaction that also
 * appends `{clientId, id, name, args, actorUserId, createdAt}` to the outbox and writes the audit
 * log. `args` is what syncs and what the server replays.
 */
export interface MutationSpec<
  I extends z.ZodType = z.ZodType,
  A extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
> extends BaseSpec<I, O> {
  kind: 'mutation';
  args: A;
  /** Args carry a secret (a bank account number): the outbox keeps them sealed at rest. */
  secretArgs?: true;
  /**
   * Args fields the engine fills, inside the mutation's own transaction, with the next number of a
   * series from this workstation's block (so a refused command uses no number).
   */
  numbers?: Readonly<Record<string, NumberSeries>>;
}

/** Changes only this desktop's local state (sign-in, sign-out, grid preferences); never synced. */
export interface LocalSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> extends BaseSpec<I, O> {
  kind: 'local';
}

export type CommandSpec = QuerySpec | MutationSpec | LocalSpec;

export const query = <I extends z.ZodType, O extends z.ZodType>(spec: Omit<QuerySpec<I, O>, 'kind'>): QuerySpec<I, O> => ({
  kind: 'query',
  ...spec,
});

/** `numbers` keeps its literal type, so the host knows which args fields the engine fills. */
export const mutation = <
  I extends z.ZodType,
  A extends z.ZodType,
  O extends z.ZodType,
  // The default is deliberately empty: most mutations have no numbered fields.
  // eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type
  const N extends Readonly<Record<string, NumberSeries>> = Record<never, NumberSeries>,
>(
  spec: Omit<MutationSpec<I, A, O>, 'kind' | 'numbers'> & { numbers?: N },
): MutationSpec<I, A, O> & { numbers?: N } => ({ kind: 'mutation', ...spec });

export const local = <I extends z.ZodType, O extends z.ZodType>(spec: Omit<LocalSpec<I, O>, 'kind'>): LocalSpec<I, O> => ({
  kind: 'local',
  ...spec,
});
