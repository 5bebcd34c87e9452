import { describe, expect, it } from 'vitest';
import { ReadAhead } from '../../electron/sync/read-ahead.ts';

/** A chain of pages 1..last, each asked for after the one before it, answered when the test says. */
function chain(last: number) {
  const asked: (number | null)[] = [];
  const answers: { n: number; resolve: (n: number) => void; reject: (e: Error) => void }[] = [];
  const fetchAfter = (previous: number | null): Promise<number> | null => {
    asked.push(previous);
    if (previous === last) return null;
    const n = (previous ?? 0) + 1;
    return new Promise<number>((resolve, reject) => answers.push({ n, resolve, reject }));
  };
  const answer = async (k = 0) => {
    const a = answers.splice(k, 1)[0];
    if (!a) throw new Error('nothing asked');
    a.resolve(a.n);
    await settle();
  };
  return { asked, answers, fetchAfter, answer };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ReadAhead (pages fetched while others are applied)', () => {
  it('hands items over in order and ends after the last', async () => {
    const c = chain(5);
    const ahead = new ReadAhead(c.fetchAfter, 2);
    const got: number[] = [];
    const consuming = (async () => {
      for (let item = await ahead.next(); item !== null; item = await ahead.next()) got.push(item);
    })();
    while (c.answers.length > 0 || got.length < 5) {
      if (c.answers.length > 0) await c.answer();
      else await settle();
    }
    await consuming;
    expect(got).toEqual([1, 2, 3, 4, 5]);
    expect(await ahead.next()).toBeNull();
  });

  it('asks for the next item as soon as one arrives, and stops at `depth` unconsumed items', async () => {
    const c = chain(10);
    const ahead = new ReadAhead(c.fetchAfter, 2);
    await settle();
    expect(c.asked).toEqual([null]);
    await c.answer();
    expect(c.asked).toEqual([null, 1]); // item 2 asked for before anyone took item 1
    await c.answer();
    await settle();
    expect(c.asked).toEqual([null, 1]); // two waiting: no third request
    expect(await ahead.next()).toBe(1);
    await settle();
    expect(c.asked).toEqual([null, 1, 2]); // room again
    ahead.stop();
  });

  it('passes a failure on after the items fetched before it, and makes no request after it', async () => {
    const c = chain(10);
    const ahead = new ReadAhead(c.fetchAfter, 3);
    await c.answer();
    c.answers.splice(0, 1)[0]?.reject(new Error('server down'));
    await settle();
    expect(await ahead.next()).toBe(1);
    await expect(ahead.next()).rejects.toThrow('server down');
    await expect(ahead.next()).rejects.toThrow('server down');
    expect(c.asked).toEqual([null, 1]);
  });

  it('makes no further request once stopped', async () => {
    const c = chain(10);
    const ahead = new ReadAhead(c.fetchAfter, 1);
    await c.answer();
    expect(await ahead.next()).toBe(1);
    ahead.stop();
    await settle();
    await c.answer(); // the request already on its way still lands, and is dropped
    await settle();
    expect(c.asked).toEqual([null, 1]);
  });

  it('refuses a depth that is not a positive integer', () => {
    expect(() => new ReadAhead(() => null, 0)).toThrow('depth');
  });
});
