import { Button, Group, Modal, Text, type MantineColor } from '@mantine/core';
import { useState } from 'react';

interface Props {
  label: string;
  confirm: string;
  color?: MantineColor;
  onConfirm(): Promise<void> | void;
}

/** A button whose action needs a second, explicit yes (deactivate, hold, remove). */
export function ConfirmButton({ label, confirm, color, onConfirm }: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <Button variant="light" color={color} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={label} centered>
        <Text size="sm">{confirm}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            color={color}
            loading={busy}
            data-autofocus
            onClick={() => {
              setBusy(true);
              void Promise.resolve(onConfirm()).finally(() => {
                setBusy(false);
                setOpen(false);
              });
            }}
          >
            {label}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
