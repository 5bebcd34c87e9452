/**
 * FMCSA identifiers. People type them as "MC-123456", "MC 123456", "USDOT 1234567" or bare
 * digits; we store the digits only, so uniqueness can't be dodged by formatting.
 */
export function normalizeMcNumber(input: string): string {
  return input.trim().toUpperCase().replace(/^MC[\s#-]*/, '').replace(/[\s-]/g, '');
}

export function normalizeDotNumber(input: string): string {
  return input.trim().toUpperCase().replace(/^(US\s*)?DOT[\s#-]*/, '').replace(/[\s-]/g, '');
}

export function mcNumberProblem(digits: string): string | null {
  if (!/^\d+$/.test(digits)) return 'An MC number is digits, e.g. MC-123456';
  if (digits.length > 8) return 'An MC number has at most 8 digits';
  if (/^0+$/.test(digits)) return 'MC 0 is not a real MC number';
  return null;
}

export function dotNumberProblem(digits: string): string | null {
  if (!/^\d+$/.test(digits)) return 'A USDOT number is digits, e.g. 1234567';
  if (digits.length > 8) return 'A USDOT number has at most 8 digits';
  if (/^0+$/.test(digits)) return 'USDOT 0 is not a real USDOT number';
  return null;
}

export function formatMcNumber(digits: string): string {
  return `MC-${digits}`;
}
