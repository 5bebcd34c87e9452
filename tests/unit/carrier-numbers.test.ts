import { describe, expect, it } from 'vitest';
import { carrierFieldsSchema } from '../../shared/domain/carriers/schema.ts';
import { dotNumberProblem, mcNumberProblem, normalizeDotNumber, normalizeMcNumber } from '../../shared/domain/validation/carrier-numbers.ts';
import { carrierInput } from '../support/fixtures.ts';

describe('MC and USDOT numbers', () => {
  it('normalizes the ways people type them to digits', () => {
    for (const typed of ['MC-123456', 'mc 123456', 'MC#123456', '123456', ' MC123456 ']) {
      expect(normalizeMcNumber(typed), typed).toBe('123456');
    }
    for (const typed of ['USDOT 2345678', 'DOT-2345678', 'US DOT 2345678', '2345678']) {
      expect(normalizeDotNumber(typed), typed).toBe('2345678');
    }
  });

  it('checks the format', () => {
    expect(mcNumberProblem('123456')).toBeNull();
    expect(mcNumberProblem('12A456')).toMatch(/digits/);
    expect(mcNumberProblem('123456789')).toMatch(/at most 8/);
    expect(mcNumberProblem('000')).toMatch(/not a real/);
    expect(dotNumberProblem('2345678')).toBeNull();
    expect(dotNumberProblem('X')).toMatch(/digits/);
  });

  it('stores the normalized digits; an empty MC means none, an empty USDOT is refused', () => {
    const parsed = carrierFieldsSchema.parse({ ...carrierInput(), mcNumber: 'MC-0042' });
    expect(parsed.mcNumber).toBe('0042');
    expect(carrierFieldsSchema.parse({ ...carrierInput(), mcNumber: '' }).mcNumber).toBeNull();
    const result = carrierFieldsSchema.safeParse({ ...carrierInput(), dotNumber: '' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['dotNumber']);
  });
});
