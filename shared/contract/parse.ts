import type { z } from 'zod';
import { DomainError, type FieldErrors } from '../domain/errors.ts';

/** zod issues → one message per field path, the first issue per field winning. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    fields[path] ??= issue.message;
  }
  return fields;
}

/** Parses a boundary input; bad input becomes a VALIDATION error naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldErrorsOf(result.error);
  const names = Object.keys(fields).filter((f) => f !== '_');
  const message =
    names.length === 0
      ? (fields._ ?? 'The request is not valid')
      : names.length === 1
        ? `Check ${names[0] ?? ''}: ${fields[names[0] ?? ''] ?? ''}`
        : `Check the ${String(names.length)} highlighted fields`;
  return throwValidation(message, fields);
}

function throwValidation(message: string, fields: FieldErrors): never {
  throw new DomainError('VALIDATION', message, fields);
}
