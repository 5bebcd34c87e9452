/** An error the API answers as `{error:{code,message,fields?}}` with its HTTP status. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string> | undefined;
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, extra: { fields?: Record<string, string>; retryAfter?: number } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = extra.fields;
    this.retryAfter = extra.retryAfter;
  }
}
