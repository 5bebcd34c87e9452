import { formatCents } from '../../../shared/domain/money.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A facility's local `YYYY-MM-DDTHH:mm` as "Dec 1 08:00" (with the year when it is not this year's). */
export function formatLocal(value: string | null, withYear = false): string {
  if (!value) return '';
  const [date = '', time = ''] = value.split('T');
  const [y, m, d] = date.split('-');
  const month = MONTHS[Number(m) - 1] ?? '';
  const year = withYear || y !== String(new Date().getFullYear()) ? ` ${y ?? ''}` : '';
  return `${month} ${String(Number(d))}${year} ${time}`.trim();
}

export function formatMoney(cents: number | null): string {
  return cents === null ? '' : formatCents(cents);
}

export function formatRpm(cents: number | null): string {
  return cents === null ? '' : `${formatCents(cents)}/mi`;
}

/** Now on this desktop as a local `YYYY-MM-DDTHH:mm`, the default for "when did it happen". */
export function nowLocal(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(d.getFullYear())}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An instant as "just now", "5 min ago", "3 h ago", else its local date and time. */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${String(Math.round(seconds / 60))} min ago`;
  if (seconds < 86_400) return `${String(Math.round(seconds / 3600))} h ago`;
  return new Date(iso).toLocaleString();
}
