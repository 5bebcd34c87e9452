import { z } from 'zod';

/**
 * Money is integer cents everywhere. Strings typed by people are parsed exactly (no floats),
 * and formatting never goes through a float either.
 */
export type Cents = number;

export const MAX_CENTS = 100_000_000_000_00; // $100 billion: far above any brokerage figure, far below 2^53

export const centsSchema = z
  .number({ error: 'Enter an amount' })
  .int('Amounts are whole cents')
  .min(-MAX_CENTS, 'Amount is too large')
  .max(MAX_CENTS, 'Amount is too large');

export const nonNegativeCentsSchema = centsSchema.refine((v) => v >= 0, 'Amount cannot be negative');

const AMOUNT_PATTERN = /^(-)?\$?\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{0,2}))?$/;

/** Parses "$1,234.56", "1234.5", "-12", ".75" into cents. Returns null when it is not an amount. */
export function parseDollars(text: string): Cents | null {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '-' || trimmed === '.' || trimmed === '$') return null;
  const match = AMOUNT_PATTERN.exec(trimmed);
  if (!match) return null;
  const [, minus, wholeRaw, fractionRaw] = match;
  if (wholeRaw === undefined && (fractionRaw === undefined || fractionRaw === '')) return null;
  const whole = wholeRaw === undefined ? 0 : Number(wholeRaw.replaceAll(',', ''));
  const fraction = Number((fractionRaw ?? '').padEnd(2, '0'));
  const cents = whole * 100 + fraction;
  if (!Number.isSafeInteger(cents) || cents > MAX_CENTS) return null;
  return minus ? -cents : cents;
}

/** 123456 → "$1,234.56"; -5 → "-$0.05". */
export function formatCents(cents: Cents): string {
  return formatAmount(cents, '$');
}

/** 123456 → "1,234.56" (for inputs that show the $ beside the field). */
export function formatAmount(cents: Cents, symbol = ''): string {
  if (!Number.isInteger(cents)) throw new RangeError(`Not a whole number of cents: ${String(cents)}`);
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const dollars = Math.trunc(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = (abs % 100).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${symbol}${dollars}.${rest}`;
}

/** Cents as a plain decimal for inputs and CSV: 123456 → "1234.56". */
export function centsToDecimalString(cents: Cents): string {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  return `${negative ? '-' : ''}${Math.trunc(abs / 100).toString()}.${(abs % 100).toString().padStart(2, '0')}`;
}
