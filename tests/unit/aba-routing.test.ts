import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abaCheckDigit, abaChecksumValid, routingNumberProblem } from '../../shared/domain/validation/aba-routing.ts';

describe('ABA routing numbers', () => {
  it('accepts real routing numbers', () => {
    // JPMorgan Chase NY, Bank of America CA, Wells Fargo MN, US Bank MN, Federal Reserve (Treasury)
    for (const routing of ['021000021', '121000358', '091000019', '091000022', '000000518']) {
      expect(routingNumberProblem(routing), routing).toBeNull();
    }
  });

  it('names the problem', () => {
    expect(routingNumberProblem('02100002')).toBe('A routing number has exactly 9 digits');
    expect(routingNumberProblem('02100002a')).toBe('A routing number has digits only');
    expect(routingNumberProblem('021000022')).toMatch(/check digit/);
    expect(routingNumberProblem('501000019')).toMatch(/first two digits/);
  });

  it('detects every single-digit typo', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(0[0-9]|1[0-2])\d{6}$/), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (first8, position, delta) => {
        const routing = first8 + String(abaCheckDigit(first8));
        expect(abaChecksumValid(routing)).toBe(true);
        const digits = routing.split('').map(Number);
        digits[position] = ((digits[position] ?? 0) + delta) % 10;
        expect(abaChecksumValid(digits.join(''))).toBe(false);
      }),
    );
  });
});
