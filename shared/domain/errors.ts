/**
 * Errors are values at boundaries: a refused command answers with a stable `code` the UI maps to
 * a message, a human `message`, and (for input problems) `fields` naming each bad field.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'NOT_SIGNED_IN',
  'NOT_AUTHORIZED',
  'INVALID_CREDENTIALS',
  'ALREADY_SET_UP',
  'DUPLICATE',
  'STALE_VERSION',
  'CONFLICT',
  'ILLEGAL_TRANSITION',
  'CARRIER_NOT_COMPLIANT',
  'CUSTOMER_ON_HOLD',
  'CREDIT_LIMIT_EXCEEDED',
  'NUMBERS_EXHAUSTED',
  'UNKNOWN_COMMAND',
  'FORBIDDEN_SENDER',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Field path (dot-separated, e.g. `billingAddress.zip`) → message a clerk understands. */
export type FieldErrors = Record<string, string>;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  fields?: FieldErrors;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;

  constructor(code: ErrorCode, message: string, fields?: FieldErrors) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.fields = fields;
  }

  toBody(): ErrorBody {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

/** A refusal tied to one field, e.g. a duplicate MC number. */
export function fieldError(code: ErrorCode, field: string, message: string): DomainError {
  return new DomainError(code, message, { [field]: message });
}

export function notFound(what: string): DomainError {
  return new DomainError('NOT_FOUND', `${what} was not found. It may have been removed.`);
}
