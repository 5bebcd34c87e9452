import { Badge } from '@mantine/core';
import { LOAD_STATUS_LABELS, type LoadStatus } from '../../../../shared/domain/loads/schema.ts';

const COLORS: Record<LoadStatus, string> = {
  PENDING: 'gray',
  BOOKED: 'blue',
  DISPATCHED: 'indigo',
  IN_TRANSIT: 'violet',
  DELIVERED: 'teal',
  INVOICED: 'cyan',
  CLOSED: 'dark',
  CANCELLED: 'red',
};

export function LoadStatusBadge({ status }: { status: LoadStatus }) {
  return (
    <Badge color={COLORS[status]} variant={status === 'CLOSED' ? 'outline' : 'light'} size="sm" radius="sm">
      {LOAD_STATUS_LABELS[status]}
    </Badge>
  );
}
