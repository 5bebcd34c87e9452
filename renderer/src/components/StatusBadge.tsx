import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  ACTIVE: 'teal',
  ON_HOLD: 'orange',
  INACTIVE: 'gray',
  REVOKED: 'red',
};

const LABELS: Record<string, string> = {
  ACTIVE: 'Active',
  ON_HOLD: 'On hold',
  INACTIVE: 'Inactive',
  REVOKED: 'Revoked',
};

export function StatusBadge({ status, prefix }: { status: string; prefix?: string }) {
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="light" size="sm" radius="sm">
      {prefix ? `${prefix} ` : ''}
      {LABELS[status] ?? status}
    </Badge>
  );
}
