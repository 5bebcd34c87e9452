/**
 * ABA routing transit numbers: 9 digits whose weighted sum 3-7-1-3-7-1-3-7-1 is a multiple of 10
 * (specs/payment-formats.md; the same check NACHA applies to the receiving DFI identification
 * plus check digit). The first two digits must also be a Federal Reserve routing symbol:
 * 00 (U.S. Government), 01–12, 21–32 (thrifts), 61–72 (electronic), 80 (traveler's checks).
 */
const WEIGHTS = [3, 7, 1, 3, 7, 1, 3, 7, 1] as const;

export function abaChecksumValid(routing: string): boolean {
  if (!/^\d{9}$/.test(routing)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(routing[i]) * (WEIGHTS[i] ?? 0);
  return sum % 10 === 0;
}

function prefixValid(routing: string): boolean {
  const prefix = Number(routing.slice(0, 2));
  return (
    prefix === 0 ||
    (prefix >= 1 && prefix <= 12) ||
    (prefix >= 21 && prefix <= 32) ||
    (prefix >= 61 && prefix <= 72) ||
    prefix === 80
  );
}

/** Returns null when valid, otherwise the message a clerk sees next to the field. */
export function routingNumberProblem(routing: string): string | null {
  if (!/^\d+$/.test(routing)) return 'A routing number has digits only';
  if (routing.length !== 9) return 'A routing number has exactly 9 digits';
  if (!prefixValid(routing)) return 'This is not a U.S. bank routing number (check the first two digits)';
  if (!abaChecksumValid(routing)) return 'This routing number fails its check digit; check it against the voided check';
  return null;
}

/** The digit that makes the first 8 digits a valid routing number (used by tests and demo data). */
export function abaCheckDigit(first8: string): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(first8[i]) * (WEIGHTS[i] ?? 0);
  return (10 - (sum % 10)) % 10;
}
