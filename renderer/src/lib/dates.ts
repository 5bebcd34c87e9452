/** Today's date on this desktop as YYYY-MM-DD (for display hints only; rules take dates from the engine). */
export function todayIso(): string {
  const d = new Date();
  return `${String(d.getFullYear())}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
