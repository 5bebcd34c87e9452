import { zodResolver } from '@hookform/resolvers/zod';
import { Badge, Button, Checkbox, Group, Modal, Paper, PasswordInput, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Controller, useForm, type Control } from 'react-hook-form';
import { z } from 'zod';
import { contract } from '../../../../shared/contract/index.ts';
import { ROLES, ROLE_LABELS, type Role } from '../../../../shared/domain/roles.ts';
import type { UserView } from '../../../../shared/domain/users/schema.ts';
import { useCommand, useCommandQuery } from '../../lib/api.ts';
import { showRefusal, showSaved } from '../../lib/forms.ts';
import { useSession } from '../../lib/session.ts';
import { DialogActions } from '../../components/form/DialogActions.tsx';

const ROLE_HELP: Record<Role, string> = {
  ADMIN: 'Users, settings, master data',
  DISPATCHER: 'Books and tracks loads',
  AR_CLERK: 'Bills shippers, applies payments',
  AP_CLERK: 'Audits and approves carrier bills, prepares payments',
  CONTROLLER: 'Approvals above thresholds, credit, payment runs',
  VIEWER: 'Reads everything it may see; changes nothing',
};

function RolesField<T extends { roles: Role[] }>({ control, error }: { control: Control<T>; error: string | undefined }) {
  return (
    <Controller
      control={control as unknown as Control<{ roles: Role[] }>}
      name="roles"
      render={({ field }) => (
        <Checkbox.Group label="Roles" value={field.value} onChange={(v) => field.onChange(v)} error={error}>
          <Stack gap={6} mt={6}>
            {ROLES.map((role) => (
              <Checkbox key={role} value={role} label={ROLE_LABELS[role]} description={ROLE_HELP[role]} size="sm" />
            ))}
          </Stack>
        </Checkbox.Group>
      )}
    />
  );
}

const addSchema = contract['users.create'].input;
type AddValues = z.input<typeof addSchema>;

function AddUserDialog({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const create = useCommand('users.create');
  const form = useForm<AddValues>({ resolver: zodResolver(addSchema), defaultValues: { email: '', name: '', roles: ['VIEWER'], password: '' } });
  const close = () => {
    form.reset();
    onClose();
  };
  const submit = form.handleSubmit(async (values) => {
    try {
      await create.mutateAsync(values);
      showSaved(`${values.name} can now sign in`);
      close();
    } catch (error) {
      showRefusal(error, form.setError, 'User not added');
    }
  });
  const e = form.formState.errors;
  return (
    <Modal opened={opened} onClose={close} title="Add a user" size="md">
      <form onSubmit={(ev) => void submit(ev)} noValidate>
        <Stack gap="sm">
          <TextInput label="Name" {...form.register('name')} error={e.name?.message} data-autofocus />
          <TextInput label="Email" type="email" {...form.register('email')} error={e.email?.message} />
          <PasswordInput label="First password" description="At least 10 characters; they can change it after signing in" {...form.register('password')} error={e.password?.message} />
          <RolesField control={form.control} error={e.roles?.message} />
          <DialogActions onCancel={close} submitLabel="Add user" loading={form.formState.isSubmitting} />
        </Stack>
      </form>
    </Modal>
  );
}

const editSchema = z.object({ name: contract['users.update'].input.shape.name, roles: contract['users.update'].input.shape.roles, active: z.boolean() });
type EditValues = z.input<typeof editSchema>;

function EditUserDialog({ user, onClose }: { user: UserView; onClose(): void }) {
  const update = useCommand('users.update');
  const form = useForm<EditValues>({ resolver: zodResolver(editSchema), defaultValues: { name: user.name, roles: user.roles, active: user.active } });
  const submit = form.handleSubmit(async (values) => {
    try {
      await update.mutateAsync({ ...editSchema.parse(values), id: user.id, expectedVersion: user.version });
      showSaved(`${values.name} was updated`);
      onClose();
    } catch (error) {
      showRefusal(error, form.setError, 'User not changed');
    }
  });
  const e = form.formState.errors;
  return (
    <Modal opened onClose={onClose} title={`Edit ${user.name}`} size="md">
      <form onSubmit={(ev) => void submit(ev)} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {user.email}
          </Text>
          <TextInput label="Name" {...form.register('name')} error={e.name?.message} />
          <RolesField control={form.control} error={e.roles?.message} />
          <Controller
            control={form.control}
            name="active"
            render={({ field }) => (
              <Switch label="Active (can sign in)" checked={field.value} onChange={(ev) => field.onChange(ev.currentTarget.checked)} error={e.active?.message} />
            )}
          />
          <DialogActions onCancel={onClose} submitLabel="Save" loading={form.formState.isSubmitting} />
        </Stack>
      </form>
    </Modal>
  );
}

const resetSchema = z
  .object({ password: contract['users.resetPassword'].input.shape.password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords differ' });

function ResetPasswordDialog({ user, onClose }: { user: UserView; onClose(): void }) {
  const reset = useCommand('users.resetPassword');
  const form = useForm<z.input<typeof resetSchema>>({ resolver: zodResolver(resetSchema), defaultValues: { password: '', confirm: '' } });
  const submit = form.handleSubmit(async (values) => {
    try {
      await reset.mutateAsync({ id: user.id, password: values.password });
      showSaved(`${user.name}'s password was reset`);
      onClose();
    } catch (error) {
      showRefusal(error, form.setError, 'Password not reset');
    }
  });
  return (
    <Modal opened onClose={onClose} title={`Reset password · ${user.name}`}>
      <form onSubmit={(ev) => void submit(ev)} noValidate>
        <Stack gap="sm">
          <PasswordInput label="New password" {...form.register('password')} error={form.formState.errors.password?.message} data-autofocus />
          <PasswordInput label="Repeat new password" {...form.register('confirm')} error={form.formState.errors.confirm?.message} />
          <DialogActions onCancel={onClose} submitLabel="Reset password" loading={form.formState.isSubmitting} />
        </Stack>
      </form>
    </Modal>
  );
}

export function UsersPage() {
  const { user: me } = useSession();
  const users = useCommandQuery('users.list', {});
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<UserView | null>(null);
  const [resetting, setResetting] = useState<UserView | null>(null);
  return (
    <Stack p="md" gap="sm">
      <Group justify="space-between">
        <Title order={1} size="h3">
          Users and roles
        </Title>
        <Button onClick={() => setAdding(true)}>Add user</Button>
      </Group>
      <Paper withBorder>
        {users.isPending ? (
          <Text p="md">Loading…</Text>
        ) : users.isError ? (
          <Text p="md" c="red">
            {users.error.message}
          </Text>
        ) : (
          <Table aria-label="Users" highlightOnHover verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Roles</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td fw={600}>
                    {u.name}
                    {u.id === me.id ? (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        (you)
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {u.roles.map((r) => (
                        <Badge key={r} variant="light" size="sm">
                          {ROLE_LABELS[r]}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{u.active ? <Badge color="teal" variant="light" size="sm">Active</Badge> : <Badge color="gray" variant="light" size="sm">Deactivated</Badge>}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end">
                      <Button size="xs" variant="light" onClick={() => setEditing(u)} aria-label={`Edit ${u.name}`}>
                        Edit
                      </Button>
                      <Button size="xs" variant="subtle" onClick={() => setResetting(u)} aria-label={`Reset password of ${u.name}`}>
                        Reset password
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <AddUserDialog opened={adding} onClose={() => setAdding(false)} />
      {editing ? <EditUserDialog user={editing} onClose={() => setEditing(null)} /> : null}
      {resetting ? <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} /> : null}
    </Stack>
  );
}
