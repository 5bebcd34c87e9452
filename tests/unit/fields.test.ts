import { describe, expect, it } from 'vitest';
import { addressSchema, businessDateSchema, emailSchema, isCalendarDate, optionalPhoneSchema } from '../../shared/domain/fields.ts';

describe('field schemas', () => {
  it('emails are trimmed, lower-cased and checked', () => {
    expect(emailSchema.parse('  AP@AcmeFoods.Test ')).toBe('ap@acmefoods.test');
    expect(emailSchema.safeParse('ap@acmefoods').error?.issues[0]?.message).toBe('Enter a valid email address, like name@company.com');
    expect(emailSchema.safeParse('').error?.issues[0]?.message).toBe('Enter an email address');
  });

  it('phones need ten digits; an empty phone is none', () => {
    expect(optionalPhoneSchema.parse('(214) 555-0142 x 12')).toBe('(214) 555-0142 x 12');
    expect(optionalPhoneSchema.parse('')).toBeNull();
    expect(optionalPhoneSchema.safeParse('555-0142').success).toBe(false);
    expect(optionalPhoneSchema.safeParse('call me').success).toBe(false);
  });

  it('addresses need a real state and a ZIP', () => {
    const ok = addressSchema.parse({ line1: '1 Main', city: 'Austin', state: 'TX', zip: '78701-1234' });
    expect(ok.line2).toBeNull();
    const bad = addressSchema.safeParse({ line1: '1 Main', city: 'Austin', state: 'XX', zip: '787' });
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['state', 'zip']);
  });

  it('business dates are real calendar days', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2100-02-29')).toBe(false);
    expect(businessDateSchema.safeParse('2027-13-01').success).toBe(false);
    expect(businessDateSchema.safeParse('06/30/2027').success).toBe(false);
  });
});
