import { Chip, Group } from '@mantine/core';

interface StatusFilterProps<S extends string> {
  statuses: readonly S[];
  labels: Record<S, string>;
  value: S[];
  onChange(next: S[]): void;
}

/** The status chips of a list's toolbar: each a checkbox named by the label a clerk clicks. */
export function StatusFilter<S extends string>({ statuses, labels, value, onChange }: StatusFilterProps<S>) {
  return (
    <Chip.Group multiple value={value} onChange={onChange}>
      <Group gap={4} role="group" aria-label="Status filter">
        {statuses.map((s) => (
          <Chip key={s} value={s} size="xs" variant="outline">
            {labels[s]}
          </Chip>
        ))}
      </Group>
    </Chip.Group>
  );
}
