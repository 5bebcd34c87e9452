import { describe, expect, it } from 'vitest';
import { PageReadAhead, type PageKey } from '../../server/sync/page-read-ahead.ts';

/** The next page of a pull made while the one before travels (server/sync/page-read-ahead.ts). */

const key = (over: Partial<PageKey> = {}): PageKey => ({ clientGroupId: 'desk-1', userId: 'ada', since: 10, limit: 5000, scope: 'bank', format: 'columns', ...over });

describe('PageReadAhead', () => {
  it('hands a page made ahead to the request it was made for, once', async () => {
    let hits = 0;
    const ahead = new PageReadAhead<string>({ onHit: () => hits++ });
    let made = 0;
    ahead.start(key(), () => Promise.resolve(`page ${String(++made)}`));
    expect(await ahead.take(key())).toBe('page 1');
    expect(await ahead.take(key()), 'taken already').toBeNull();
    expect(made).toBe(1);
    expect(hits).toBe(1);
  });

  it('gives nothing to another user’s request on the workstation, and keeps the page for its own user', async () => {
    const ahead = new PageReadAhead<string>();
    ahead.start(key(), () => Promise.resolve('page'));
    expect(await ahead.take(key({ userId: 'bob' }))).toBeNull();
    expect(await ahead.take(key())).toBe('page');
  });

  it.each([
    ['another cookie', { since: 11 }],
    ['another scope', { scope: 'masked' }],
    ['another format', { format: 'rows' }],
    ['another page size', { limit: 100 }],
  ])('gives nothing to a request of the workstation’s user with %s, and drops the page', async (_, other) => {
    const ahead = new PageReadAhead<string>();
    ahead.start(key(), () => Promise.resolve('page'));
    expect(await ahead.take(key(other))).toBeNull();
    expect(ahead.size).toBe(0);
    expect(await ahead.take(key()), 'dropped, not kept for later').toBeNull();
  });

  it('keeps one page per workstation: another workstation gets nothing of it, and a newer page replaces the older', async () => {
    const ahead = new PageReadAhead<string>();
    ahead.start(key(), () => Promise.resolve('old'));
    ahead.start(key({ clientGroupId: 'desk-2' }), () => Promise.resolve('theirs'));
    ahead.start(key({ since: 20 }), () => Promise.resolve('new'));
    expect(ahead.size).toBe(2);
    expect(await ahead.take(key())).toBeNull();
    expect(await ahead.take(key({ clientGroupId: 'desk-2', since: 20 }))).toBeNull();
    ahead.start(key({ since: 20 }), () => Promise.resolve('new'));
    expect(await ahead.take(key({ since: 20 }))).toBe('new');
  });

  it('answers nothing for a page that failed to be made, so the request makes its own; the failure goes nowhere else', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const ahead = new PageReadAhead<string>();
      ahead.start(key(), () => Promise.reject(new Error('connection lost')));
      expect(await ahead.take(key())).toBeNull();
      ahead.start(key(), () => Promise.reject(new Error('connection lost')));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(ahead.size, 'a failed page is dropped').toBe(0);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('forgets a workstation’s page when told (after it pushed)', async () => {
    const ahead = new PageReadAhead<string>();
    ahead.start(key(), () => Promise.resolve('before the push'));
    ahead.forget('desk-1');
    expect(await ahead.take(key())).toBeNull();
  });

  it('drops a page nobody asks for within keepMs, and holds pages for at most maxWorkstations workstations', async () => {
    const ahead = new PageReadAhead<string>({ keepMs: 30, maxWorkstations: 2 });
    ahead.start(key(), () => Promise.resolve('a'));
    ahead.start(key({ clientGroupId: 'desk-2' }), () => Promise.resolve('b'));
    let madeThird = false;
    ahead.start(key({ clientGroupId: 'desk-3' }), () => {
      madeThird = true;
      return Promise.resolve('c');
    });
    expect(madeThird, 'not even made').toBe(false);
    expect(ahead.size).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(ahead.size).toBe(0);
    expect(await ahead.take(key())).toBeNull();
  });
});
