import { zodResolver } from '@hookform/resolvers/zod';
import { Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { contract } from '../../../../shared/contract/index.ts';
import { useCommand } from '../../lib/api.ts';
import { showRefusal } from '../../lib/forms.ts';

const schema = contract['workspace.setup'].input
  .extend({ confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords differ' });
type Values = z.input<typeof schema>;

/** First run: the brokerage's name and its first administrator. */
export function SetupScreen({ onConnectInstead }: { onConnectInstead(): void }) {
  const client = useQueryClient();
  const setup = useCommand('workspace.setup');
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { workspaceName: '', name: '', email: '', password: '', confirm: '' },
  });
  const submit = form.handleSubmit(async ({ confirm: _confirm, ...values }) => {
    try {
      await setup.mutateAsync(values);
      await client.invalidateQueries({ queryKey: ['session.current'] });
    } catch (error) {
      showRefusal(error, form.setError, 'Set-up failed');
    }
  });
  const err = (name: keyof Values) => form.formState.errors[name]?.message;
  return (
    <Center mih="100vh" bg="gray.1" p="md">
      <Paper withBorder shadow="sm" p="xl" w={440} component="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Set up Notchify">
        <Stack gap="sm">
          <Title order={1} size="h3">
            Welcome to Notchify
          </Title>
          <Text size="sm" c="dimmed">
            Name your brokerage and create the first administrator. You can add your team afterwards.
          </Text>
          <TextInput label="Company name" autoFocus {...form.register('workspaceName')} error={err('workspaceName')} />
          <TextInput label="Your name" {...form.register('name')} error={err('name')} />
          <TextInput label="Email" type="email" autoComplete="username" {...form.register('email')} error={err('email')} />
          <PasswordInput label="Password" description="At least 10 characters" autoComplete="new-password" {...form.register('password')} error={err('password')} />
          <PasswordInput label="Repeat password" autoComplete="new-password" {...form.register('confirm')} error={err('confirm')} />
          <Button type="submit" loading={form.formState.isSubmitting} mt="sm">
            Create workspace
          </Button>
          <Text size="sm" ta="center">
            Your company already runs Notchify?{' '}
            <Anchor component="button" type="button" onClick={onConnectInstead}>
              Connect to its server
            </Anchor>
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
