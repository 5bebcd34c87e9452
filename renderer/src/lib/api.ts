import { useMutation, useQuery, type UseQueryOptions } from '@tanstack/react-query';
import type { CommandName, In, Out } from '../../../shared/contract/index.ts';
import type { ErrorCode, FieldErrors } from '../../../shared/domain/errors.ts';

/** A refusal from the host: a stable code, a message for the clerk, and the bad fields. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors;
  constructor(code: ErrorCode, message: string, fields: FieldErrors = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.fields = fields;
  }
}

function bridge() {
  const b = window.notchify;
  if (!b) throw new ApiError('INTERNAL', 'Notchify is not connected to its engine');
  return b;
}

export async function invoke<N extends CommandName>(name: N, input: In<N>): Promise<Out<N>> {
  const reply = await bridge().invoke(name, input);
  if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message, reply.error.fields);
  return reply.value as Out<N>;
}

export function queryKey<N extends CommandName>(name: N, input?: In<N>) {
  return input === undefined ? [name] : [name, input];
}

/** A query of the contract, cached by TanStack Query and refetched when the engine says its data changed. */
export function useCommandQuery<N extends CommandName>(
  name: N,
  input: In<N>,
  options: Omit<UseQueryOptions<Out<N>, ApiError>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<Out<N>, ApiError>({ queryKey: queryKey(name, input), queryFn: () => invoke(name, input), ...options });
}

/**
 * A command of the contract. What it changed is refetched when the engine's `data.changed` event
 * arrives (lib/live-data.ts), so screens stay right whoever made the change.
 */
export function useCommand<N extends CommandName>(name: N) {
  return useMutation<Out<N>, ApiError, In<N>>({ mutationFn: (input) => invoke(name, input) });
}
