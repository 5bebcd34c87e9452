import type { z } from 'zod';
import { carrierCommands } from './carriers.ts';
import { customerCommands } from './customers.ts';
import { loadCommands } from './loads.ts';
import type { CommandSpec, LocalSpec, MutationSpec, QuerySpec } from './define.ts';
import { recordCommands } from './records.ts';
import { sessionCommands } from './session.ts';
import { syncCommands } from './sync.ts';
import { userCommands } from './users.ts';

/**
 * The one contract: every command and query of the product, declared once. The preload, the
 * router, the web host, the handler maps, the shared mutators (and later the server's mutation
 * registry and OpenAPI document) are all derived from it.
 */
export const contract = {
  ...sessionCommands,
  ...userCommands,
  ...customerCommands,
  ...carrierCommands,
  ...loadCommands,
  ...recordCommands,
  ...syncCommands,
} as const satisfies Record<string, CommandSpec>;

export type Contract = typeof contract;
export type CommandName = keyof Contract;
export type In<N extends CommandName> = z.input<Contract[N]['input']>;
export type Input<N extends CommandName> = z.output<Contract[N]['input']>;
export type Out<N extends CommandName> = z.output<Contract[N]['output']>;

type NamesOfKind<K extends CommandSpec['kind']> = {
  [N in CommandName]: Contract[N]['kind'] extends K ? N : never;
}[CommandName];
export type QueryName = NamesOfKind<'query'>;
export type MutationName = NamesOfKind<'mutation'>;
export type LocalName = NamesOfKind<'local'>;

export type Args<N extends MutationName> = Contract[N] extends MutationSpec<z.ZodType, infer A> ? z.output<A> : never;
/** Args as written before parsing (defaults may be left out). */
export type ArgsIn<N extends MutationName> = Contract[N] extends MutationSpec<z.ZodType, infer A> ? z.input<A> : never;

export const COMMAND_NAMES = Object.keys(contract) as CommandName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

export function specOf(name: CommandName): CommandSpec {
  return contract[name];
}

export function isMutation(spec: CommandSpec): spec is MutationSpec {
  return spec.kind === 'mutation';
}
export function isQuery(spec: CommandSpec): spec is QuerySpec {
  return spec.kind === 'query';
}
export function isLocal(spec: CommandSpec): spec is LocalSpec {
  return spec.kind === 'local';
}

export type { Access, CommandSpec, LocalSpec, MutationSpec, QuerySpec } from './define.ts';
export type { Reply } from './reply.ts';
