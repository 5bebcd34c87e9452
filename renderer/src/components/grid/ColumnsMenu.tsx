import { ActionIcon, Button, Checkbox, Group, Popover, Stack, Text } from '@mantine/core';

export interface ColumnChoice {
  id: string;
  label: string;
  /** The first column names the row and can't be hidden. */
  locked?: boolean;
}

interface Props {
  columns: ColumnChoice[];
  order: string[];
  visibility: Record<string, boolean>;
  onVisibleChange(id: string, visible: boolean): void;
  onMove(id: string, by: -1 | 1): void;
  onReset(): void;
}

/** Show, hide and reorder columns; saved for this user. Fully usable from the keyboard. */
export function ColumnsMenu({ columns, order, visibility, onVisibleChange, onMove, onReset }: Props) {
  const byId = new Map(columns.map((c) => [c.id, c]));
  const ordered = order.map((id) => byId.get(id)).filter((c): c is ColumnChoice => c !== undefined);
  return (
    <Popover position="bottom-end" shadow="md" withinPortal trapFocus>
      <Popover.Target>
        <Button variant="default" aria-label="Columns">
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={4} miw={260} role="group" aria-label="Columns to show">
          <Text size="xs" fw={600} c="dimmed" tt="uppercase">
            Columns
          </Text>
          {ordered.map((column, i) => (
            <Group key={column.id} justify="space-between" wrap="nowrap" gap="xs">
              <Checkbox
                size="xs"
                label={column.label}
                checked={visibility[column.id] !== false}
                disabled={column.locked}
                onChange={(e) => onVisibleChange(column.id, e.currentTarget.checked)}
              />
              <Group gap={2} wrap="nowrap">
                <ActionIcon size="sm" variant="subtle" aria-label={`Move ${column.label} left`} disabled={i === 0} onClick={() => onMove(column.id, -1)}>
                  ↑
                </ActionIcon>
                <ActionIcon size="sm" variant="subtle" aria-label={`Move ${column.label} right`} disabled={i === ordered.length - 1} onClick={() => onMove(column.id, 1)}>
                  ↓
                </ActionIcon>
              </Group>
            </Group>
          ))}
          <Button size="xs" variant="subtle" onClick={onReset} mt={4}>
            Reset to default
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
