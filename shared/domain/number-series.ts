import type { NumberSeries } from '../contract/define.ts';
import { formatLoadNumber } from './loads/schema.ts';

/**
 * Where each number series starts, how big a block of it is, and how its numbers read. The sync
 * server leases blocks of this size to workstations; a workstation never connected to a server
 * issues itself the next block.
 */
export const NUMBER_SERIES_RULES: Record<NumberSeries, { start: number; blockSize: number; format: (n: number) => string }> = {
  LOAD: { start: 100_001, blockSize: 1000, format: formatLoadNumber },
};
