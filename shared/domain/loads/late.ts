import type { LoadRow, LoadStatus } from './schema.ts';

/**
 * A load is late when its latest ETA is past the end of its delivery window while it is still
 * moving. (The board's SQL in electron/engine/queries/loads.ts says the same; a test holds the
 * two together.)
 */
export const LATE_WATCHED: readonly LoadStatus[] = ['BOOKED', 'DISPATCHED', 'IN_TRANSIT'];

export function isLate(load: Pick<LoadRow, 'status' | 'etaAt' | 'deliveryEnd'>): boolean {
  return LATE_WATCHED.includes(load.status) && load.etaAt !== null && load.etaAt > load.deliveryEnd;
}

/** Delivered inside (or before the end of) the window. */
export function deliveredOnTime(load: Pick<LoadRow, 'deliveryEnd'>, deliveredAt: string): boolean {
  return deliveredAt <= load.deliveryEnd;
}
