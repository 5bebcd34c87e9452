/**
 * PostgreSQL failures that say "try again", not "this mutation is wrong". A mutation that hits one
 * is not consumed; the desktop sends it again. By SQLSTATE class: 08 the connection lost or
 * refused, 53 the server out of disk, memory or connections, 58 an I/O error; and by code:
 * serialization and deadlock failures, a lock not had in time, a statement cancelled or timed out,
 * the server shutting down, a session timed out while idle in its transaction.
 */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '58']);
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03', '57P05', '25P03']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return /Connection terminated|connection timeout/i.test(String((error as { message?: unknown }).message));
  return TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2)));
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
