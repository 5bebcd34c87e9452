import type { z } from 'zod';
import {
  errorResponseSchema,
  leaseResponseSchema,
  pullResponseSchema,
  pushResponseSchema,
  tokensSchema,
  type Lease,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type Tokens,
} from '../../shared/sync/protocol.ts';

export type SyncFailureKind = 'offline' | 'unauthorized' | 'version' | 'forbidden' | 'refused' | 'server';

/** A sync call that did not succeed, sorted by what the desktop should do about it. */
export class SyncFailure extends Error {
  readonly kind: SyncFailureKind;
  readonly status: number | null;
  readonly code: string;
  readonly fields: Record<string, string> | undefined;

  constructor(kind: SyncFailureKind, code: string, message: string, status: number | null = null, fields?: Record<string, string>) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.status = status;
    this.fields = fields;
  }
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

/** The sync API over HTTP; every answer is parsed with the protocol's zod schemas. */
export class SyncApi {
  readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, options: { fetch?: FetchLike; timeoutMs?: number } = {}) {
    this.baseUrl = normaliseServerUrl(baseUrl);
    this.fetchImpl = options.fetch ?? ((url, init) => fetch(url, init));
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  login(email: string, password: string): Promise<Tokens> {
    return this.call('/api/v1/auth/login', { email, password }, tokensSchema);
  }

  refresh(refreshToken: string): Promise<Tokens> {
    return this.call('/api/v1/auth/refresh', { refreshToken }, tokensSchema);
  }

  async logout(refreshToken: string): Promise<void> {
    await this.call('/api/v1/auth/logout', { refreshToken }, null);
  }

  push(token: string, body: PushRequest): Promise<PushResponse> {
    return this.call('/api/v1/sync/push', body, pushResponseSchema, token);
  }

  pull(token: string, body: PullRequest): Promise<PullResponse> {
    return this.call('/api/v1/sync/pull', body, pullResponseSchema, token);
  }

  lease(token: string, clientGroupId: string): Promise<Lease> {
    return this.call('/api/v1/sync/lease', { clientGroupId, series: 'LOAD' }, leaseResponseSchema, token);
  }

  private async call<S extends z.ZodType>(path: string, body: unknown, schema: S | null, token?: string): Promise<z.output<S>> {
    let status: number;
    let text: string;
    try {
      const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw new SyncFailure('offline', 'OFFLINE', `The sync server at ${this.baseUrl} cannot be reached (${error instanceof Error ? error.message : String(error)}).`);
    }
    if (status >= 200 && status < 300) {
      if (!schema) return undefined as z.output<S>;
      const parsed = schema.safeParse(text ? JSON.parse(text) : null);
      if (!parsed.success) throw new SyncFailure('server', 'BAD_RESPONSE', `The sync server sent an answer this desktop does not understand (${path}).`, status);
      return parsed.data;
    }
    const error = errorResponseSchema.safeParse(safeJson(text));
    const code = error.success ? error.data.error.code : `HTTP_${String(status)}`;
    const message = error.success ? error.data.error.message : `The sync server answered ${String(status)}.`;
    const fields = error.success ? error.data.error.fields : undefined;
    if (status === 401) throw new SyncFailure('unauthorized', code, message, status);
    if (status === 403) throw new SyncFailure('forbidden', code, message, status);
    if (code === 'VersionNotSupported') throw new SyncFailure('version', code, message, status);
    if (status >= 500 || status === 429) throw new SyncFailure('offline', code, message, status);
    throw new SyncFailure('refused', code, message, status, fields);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** `server.example.com` → `https://server.example.com`; no trailing slash. */
export function normaliseServerUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}
