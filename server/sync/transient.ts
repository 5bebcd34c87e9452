/**
 * PostgreSQL failures that say "try again", not "this mutation is wrong": serialization and
 * deadlock failures, a lost or refused connection, the server shutting down. A mutation that hits
 * one is not consumed; the desktop sends it again.
 */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return /Connection terminated|connection timeout/i.test(String((error as { message?: unknown }).message));
  return TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code);
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
