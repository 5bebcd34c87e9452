import type { EntityName } from '../shared/domain/port.ts';

/**
 * One row a mutation changed: what the audit log records, what the server's change log announces
 * and what a desktop rebase undoes. An insert keeps the whole new row; an update keeps, before
 * and after, only the fields that changed; a delete keeps the whole old row.
 */
export interface RowChange {
  entity: EntityName;
  id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The fields whose values differ, with their before and after values. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      was[key] = before[key] ?? null;
      now[key] = after[key] ?? null;
    }
  }
  return { was, now };
}
