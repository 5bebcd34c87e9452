import { Button, Group } from '@mantine/core';

/** The footer of a form dialog: Cancel, then the submit button (Enter submits). */
export function DialogActions({ onCancel, submitLabel, loading }: { onCancel(): void; submitLabel: string; loading: boolean }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={loading}>
        {submitLabel}
      </Button>
    </Group>
  );
}
