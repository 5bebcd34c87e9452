import { z } from 'zod';
import { US_STATE_CODES } from './validation/us-states.ts';

/** Reusable field schemas with the messages a clerk sees next to the field. */

export const idSchema = z.uuid({ error: 'Not a valid record id' });

export const requiredText = (label: string, max = 200) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(max, `${capitalize(label)} is too long (at most ${String(max)} characters)`);

export const optionalText = (label: string, max = 500) =>
  z
    .string()
    .trim()
    .max(max, `${capitalize(label)} is too long (at most ${String(max)} characters)`)
    .optional()
    .transform((v) => (v === '' || v === undefined ? null : v))
    .or(z.null())
    .default(null);

export const emailSchema = z
  .string({ error: 'Enter an email address' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter an email address')
  .max(254, 'Email address is too long')
  .pipe(z.email({ error: 'Enter a valid email address, like name@company.com' }));

const PHONE_CHARS = /^[0-9+().\s-]+(\s*(x|ext\.?)\s*\d{1,6})?$/i;
export const phoneSchema = z
  .string({ error: 'Enter a phone number' })
  .trim()
  .max(30, 'Phone number is too long')
  .refine((v) => PHONE_CHARS.test(v), 'Enter a phone number like (555) 123-4567')
  .refine((v) => v.replace(/(x|ext\.?)\s*\d+$/i, '').replace(/\D/g, '').length >= 10, 'A phone number needs at least 10 digits');

export const optionalPhoneSchema = z
  .union([z.literal(''), z.null(), phoneSchema])
  .optional()
  .transform((v) => (v === '' || v === undefined ? null : v));

export const stateSchema = z.enum(US_STATE_CODES, { error: 'Choose a state' });

export const zipSchema = z
  .string({ error: 'Enter a ZIP code' })
  .trim()
  .regex(/^\d{5}(-\d{4})?$/, 'Enter a 5-digit ZIP code (or ZIP+4)');

export const addressSchema = z.object({
  line1: requiredText('a street address'),
  line2: optionalText('address line 2', 200),
  city: requiredText('a city', 100),
  state: stateSchema,
  zip: zipSchema,
});
export type Address = z.output<typeof addressSchema>;

/** Business dates are `YYYY-MM-DD` and must be real calendar dates. */
export const businessDateSchema = z
  .string({ error: 'Enter a date' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'That date does not exist');

export function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  const daysInMonth = [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= daysInMonth;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Instants are ISO-8601 UTC strings made by the clock the host passes in. */
export const instantSchema = z.iso.datetime({ error: 'Not a valid timestamp' });

export const versionSchema = z.number().int().min(1);

function capitalize(s: string): string {
  const t = s.replace(/^(a|an) /, '');
  return t.charAt(0).toUpperCase() + t.slice(1);
}
