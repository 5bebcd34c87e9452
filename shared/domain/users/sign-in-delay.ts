/**
 * Growing delays after failed sign-ins, per email: none for the first 3 failures, then doubling
 * from 1 s to at most 30 s. A success clears the count. It slows guessing without locking a clerk
 * out of their own desk. The desktop and the sync server both use it.
 */
export function signInDelayMs(failures: number): number {
  if (failures < 3) return 0;
  return Math.min(30_000, 1000 * 2 ** (failures - 3));
}
