import { v7 as uuidv7 } from 'uuid';
import { verifyPassword } from '../../db/password.ts';
import type { Queryable } from '../../db/pg/queryable.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { signInDelayMs } from '../../shared/domain/users/sign-in-delay.ts';
import type { Tokens } from '../../shared/sync/protocol.ts';
import type { ServerDatabase } from '../database.ts';
import { HttpError } from '../http-error.ts';
import { hashRefreshToken, newRefreshToken, type AccessTokens } from './tokens.ts';

export const REFRESH_TOKEN_DAYS = 30;

/** A real argon2id hash of a password nobody knows, so an unknown email costs a full verify too. */
const DECOY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$NraloNa7XfVzvPgHeYzeqA$cNuw+3gdi5SGg+D78BS44s4XpTv1auLVtY6LR4ugmUU';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  active: boolean;
  /** The sign-in the request's access token belongs to (its refresh-token family). */
  sessionId?: string;
}

interface UserRecord extends AuthUser {
  password_hash: string;
}

/** How long after its use a refresh token may be used again, if its answer was lost (refresh). */
export const LOST_ANSWER_GRACE_MS = 60_000;

/**
 * Whether a used refresh token presented again is a desktop whose answer was lost on the way, not
 * a thief: it is the family's last used token, used moments ago, and what it was swapped for has
 * not been used. A thief's copy, used after the desktop moved on (or long after), is not.
 */
async function answerWasLost(tx: Queryable, familyId: string, usedAt: string, now: string): Promise<boolean> {
  if (new Date(now).getTime() - new Date(usedAt).getTime() > LOST_ANSWER_GRACE_MS) return false;
  const { rows } = await tx.query<{ later: string | number }>('SELECT count(*) AS later FROM refresh_tokens WHERE family_id = $1 AND used_at > $2', [familyId, usedAt]);
  return Number(rows[0]?.later ?? 1) === 0;
}

export async function findUser(db: Queryable, by: { id: string } | { email: string }): Promise<(AuthUser & { passwordHash: string }) | null> {
  const [where, value] = 'id' in by ? ['id', by.id] : ['email', by.email];
  const { rows } = await db.query<UserRecord>(`SELECT id, email, name, roles, active, password_hash FROM users WHERE ${where} = $1`, [value]);
  const row = rows[0];
  if (!row) return null;
  return { id: row.id, email: row.email, name: row.name, roles: row.roles, active: row.active, passwordHash: row.password_hash };
}

/**
 * Sign-in, refresh-token rotation with reuse detection, and sign-out. A refresh token is used
 * once: using it returns a new one of the same family; presenting a used one again means it was
 * stolen, so the whole family is revoked, unless it is the desktop asking again because the answer
 * never reached it (answerWasLost).
 */
export class AuthService {
  private readonly db: ServerDatabase;
  private readonly access: AccessTokens;
  private readonly clock: () => Date;

  constructor(db: ServerDatabase, access: AccessTokens, clock: () => Date) {
    this.db = db;
    this.access = access;
    this.clock = clock;
  }

  async login(email: string, password: string): Promise<Tokens> {
    const now = this.clock();
    const failures = await this.db.query<{ failures: number; last_failed_at: string }>(
      'SELECT failures, last_failed_at FROM login_failures WHERE email = $1',
      [email],
    );
    const record = failures.rows[0];
    if (record) {
      const waitUntil = new Date(record.last_failed_at).getTime() + signInDelayMs(record.failures);
      if (waitUntil > now.getTime()) {
        const seconds = Math.ceil((waitUntil - now.getTime()) / 1000);
        throw new HttpError(429, 'TOO_MANY_ATTEMPTS', `Too many failed sign-ins. Try again in ${String(seconds)} s.`, { retryAfter: seconds });
      }
    }
    const user = await findUser(this.db, { email });
    const ok = await verifyPassword(user?.passwordHash ?? DECOY_HASH, password);
    if (!user || !ok || !user.active) {
      await this.db.query(
        `INSERT INTO login_failures (email, failures, last_failed_at) VALUES ($1, 1, $2)
         ON CONFLICT (email) DO UPDATE SET failures = login_failures.failures + 1, last_failed_at = excluded.last_failed_at`,
        [email, now.toISOString()],
      );
      throw new HttpError(401, 'INVALID_CREDENTIALS', 'That email and password do not match an active user.');
    }
    await this.db.query('DELETE FROM login_failures WHERE email = $1', [email]);
    return this.issue(this.db, user, uuidv7());
  }

  async refresh(refreshToken: string): Promise<Tokens> {
    const now = this.clock().toISOString();
    const hash = hashRefreshToken(refreshToken);
    const outcome = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ family_id: string; user_id: string; used_at: string | null; revoked_at: string | null; expires_at: string }>(
        'SELECT family_id, user_id, used_at, revoked_at, expires_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE',
        [hash],
      );
      const token = rows[0];
      if (!token || token.revoked_at !== null || token.expires_at <= now) return { kind: 'invalid' as const };
      if (token.used_at !== null) {
        if (await answerWasLost(tx, token.family_id, token.used_at, now)) {
          // The desktop never got the token this one was swapped for, and asks again with this one.
          await tx.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND used_at IS NULL AND revoked_at IS NULL', [token.family_id, now]);
        } else {
          await tx.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL', [token.family_id, now]);
          return { kind: 'reused' as const };
        }
      }
      await tx.query('UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1', [hash, now]);
      const user = await findUser(tx, { id: token.user_id });
      if (!user?.active) return { kind: 'invalid' as const };
      return { kind: 'ok' as const, tokens: await this.issue(tx, user, token.family_id) };
    });
    if (outcome.kind === 'ok') return outcome.tokens;
    // The reuse revocation above committed; the answer is the same as for a bad token.
    throw new HttpError(401, 'UNAUTHORIZED', 'Your session has ended. Sign in again.');
  }

  /** Ends the session the refresh token belongs to (its whole family). Unknown tokens are ignored. */
  async logout(refreshToken: string): Promise<void> {
    await this.db.query(
      'UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1) AND revoked_at IS NULL',
      [hashRefreshToken(refreshToken), this.clock().toISOString()],
    );
  }

  /** The signed-in user behind a bearer token, or a 401. Deactivated users are refused at once. */
  async authenticate(authorization: string | undefined): Promise<AuthUser> {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    const claims = token ? await this.access.verify(token) : null;
    const user = claims ? await findUser(this.db, { id: claims.userId }) : null;
    if (!user?.active) throw new HttpError(401, 'UNAUTHORIZED', 'Your session has ended. Sign in again.');
    return { id: user.id, email: user.email, name: user.name, roles: user.roles, active: user.active, ...(claims?.sessionId ? { sessionId: claims.sessionId } : {}) };
  }

  /**
   * Ends a user's sign-ins (their refresh tokens) but `keep`: once their password has changed, a
   * session opened with the old one, maybe by someone who should not have it, must not live on.
   * Access tokens already out expire within their few minutes.
   */
  async endSessions(userId: string, keep: string | null): Promise<void> {
    await this.db.query('UPDATE refresh_tokens SET revoked_at = $3 WHERE user_id = $1 AND revoked_at IS NULL AND family_id IS DISTINCT FROM $2', [
      userId,
      keep,
      this.clock().toISOString(),
    ]);
  }

  private async issue(db: Queryable, user: AuthUser, familyId: string): Promise<Tokens> {
    const access = await this.access.issue(user.id, familyId);
    const refresh = newRefreshToken();
    const created = this.clock();
    await db.query(
      'INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [uuidv7(), familyId, user.id, refresh.hash, created.toISOString(), new Date(created.getTime() + REFRESH_TOKEN_DAYS * 86_400_000).toISOString()],
    );
    return {
      accessToken: access.token,
      refreshToken: refresh.token,
      accessTokenExpiresAt: access.expiresAt,
      user: { id: user.id, email: user.email, name: user.name, roles: user.roles },
    };
  }
}
