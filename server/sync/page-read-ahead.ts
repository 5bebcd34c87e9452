/**
 * A pull of many pages is a chain: the desktop asks for each page with the cookie of the one
 * before. Between two pages the server would sit idle while the page it made travels, is parsed
 * and the next request comes back. So when a page says `more`, the server starts making the next
 * one at once, and answers the request for it from there when it comes.
 *
 * A page made ahead is the page the request would have got had it come a moment earlier: each
 * page reads one snapshot of its own, and what changed after it arrives with a later pull. It is
 * only handed to the request it was made for: the same workstation, user, cookie, scope, format
 * and size. One page per workstation, for a short while, for a bounded number of workstations.
 */
export interface PageKey {
  clientGroupId: string;
  userId: string;
  since: number;
  limit: number;
  scope: string;
  format: string;
}

interface Entry<T> {
  key: string;
  userId: string;
  page: Promise<T | null>;
  timer: NodeJS.Timeout;
}

export interface PageReadAheadOptions {
  /** Workstations with a page made ahead at once, at most (each page is a few MB). */
  maxWorkstations?: number;
  /** How long a page made ahead waits for its request. */
  keepMs?: number;
  /** Called when a request is answered with a page made ahead. */
  onHit?: () => void;
}

export class PageReadAhead<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly maxWorkstations: number;
  private readonly keepMs: number;
  private readonly onHit: () => void;

  constructor(options: PageReadAheadOptions = {}) {
    this.maxWorkstations = options.maxWorkstations ?? 64;
    this.keepMs = options.keepMs ?? 10_000;
    this.onHit = options.onHit ?? (() => undefined);
  }

  /** Starts making the page `key` names, replacing any page made ahead for that workstation. */
  start(key: PageKey, make: () => Promise<T | null>): void {
    this.forget(key.clientGroupId);
    if (this.entries.size >= this.maxWorkstations) return;
    const page = make();
    // A page made ahead that fails is simply made again when asked for.
    page.catch(() => this.drop(key.clientGroupId, page));
    const timer = setTimeout(() => this.drop(key.clientGroupId, page), this.keepMs);
    timer.unref();
    this.entries.set(key.clientGroupId, { key: keyText(key), userId: key.userId, page, timer });
  }

  /**
   * The page made ahead for exactly `key`, taken out; or null, and then the request makes its own.
   * A request of the workstation's user that asks for another page drops it; another user's (which
   * the server refuses) leaves it be.
   */
  async take(key: PageKey): Promise<T | null> {
    const entry = this.entries.get(key.clientGroupId);
    if (!entry || entry.userId !== key.userId) return null;
    this.forget(key.clientGroupId);
    if (entry.key !== keyText(key)) return null;
    try {
      const page = await entry.page;
      if (page !== null) this.onHit();
      return page;
    } catch {
      return null;
    }
  }

  /**
   * Drops the workstation's page made ahead: called once it has pushed, so no page made before its
   * mutations (and so without their results) is handed to its next request.
   */
  forget(clientGroupId: string): void {
    this.drop(clientGroupId);
  }

  /** How many workstations have a page made ahead (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private drop(clientGroupId: string, only?: Promise<T | null>): void {
    const entry = this.entries.get(clientGroupId);
    if (!entry || (only && entry.page !== only)) return;
    clearTimeout(entry.timer);
    this.entries.delete(clientGroupId);
  }
}

function keyText(key: PageKey): string {
  return JSON.stringify([key.clientGroupId, key.userId, key.since, key.limit, key.scope, key.format]);
}
