import { zodResolver } from '@hookform/resolvers/zod';
import { Modal, PasswordInput, Stack } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { contract } from '../../../../shared/contract/index.ts';
import { useCommand } from '../../lib/api.ts';
import { showRefusal, showSaved } from '../../lib/forms.ts';
import { DialogActions } from '../../components/form/DialogActions.tsx';

const schema = contract['users.changeOwnPassword'].input
  .extend({ confirm: z.string() })
  .refine((v) => v.newPassword === v.confirm, { path: ['confirm'], message: 'The two passwords differ' });
type Values = z.input<typeof schema>;

export function ChangePasswordDialog({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const change = useCommand('users.changeOwnPassword');
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { currentPassword: '', newPassword: '', confirm: '' } });
  const close = () => {
    form.reset();
    onClose();
  };
  const submit = form.handleSubmit(async ({ confirm: _c, ...values }) => {
    try {
      await change.mutateAsync(values);
      showSaved('Your password was changed');
      close();
    } catch (error) {
      showRefusal(error, form.setError, 'Password not changed');
    }
  });
  return (
    <Modal opened={opened} onClose={close} title="Change your password">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <PasswordInput label="Current password" autoComplete="current-password" {...form.register('currentPassword')} error={form.formState.errors.currentPassword?.message} />
          <PasswordInput label="New password" description="At least 10 characters" autoComplete="new-password" {...form.register('newPassword')} error={form.formState.errors.newPassword?.message} />
          <PasswordInput label="Repeat new password" autoComplete="new-password" {...form.register('confirm')} error={form.formState.errors.confirm?.message} />
          <DialogActions onCancel={close} submitLabel="Change password" loading={form.formState.isSubmitting} />
        </Stack>
      </form>
    </Modal>
  );
}
