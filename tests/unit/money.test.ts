import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CENTS, formatAmount, formatCents, parseDollars } from '../../shared/domain/money.ts';

describe('money', () => {
  it('parses amounts people type, exactly', () => {
    expect(parseDollars('$1,234.56')).toBe(123456);
    expect(parseDollars('1234.5')).toBe(123450);
    expect(parseDollars('0.1')).toBe(10);
    expect(parseDollars('.75')).toBe(75);
    expect(parseDollars('-12')).toBe(-1200);
    expect(parseDollars(' 1000000 ')).toBe(100000000);
    expect(parseDollars('0.29')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floats
  });

  it('refuses what is not an amount', () => {
    for (const text of ['', 'abc', '1.234', '1,23.00', '$', '.', '1e5', '12,34', '--1', '1.2.3']) {
      expect(parseDollars(text), text).toBeNull();
    }
  });

  it('formats cents with separators and never through a float', () => {
    expect(formatCents(123456)).toBe('$1,234.56');
    expect(formatCents(-5)).toBe('-$0.05');
    expect(formatCents(0)).toBe('$0.00');
    expect(formatAmount(100_000_000)).toBe('1,000,000.00');
    expect(() => formatCents(1.5)).toThrow();
  });

  it('round-trips every amount: parse(format(c)) = c', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_CENTS, max: MAX_CENTS }), (cents) => {
        expect(parseDollars(formatCents(cents))).toBe(cents);
        expect(parseDollars(formatAmount(cents))).toBe(cents);
      }),
      { numRuns: 2000 },
    );
  });
});
