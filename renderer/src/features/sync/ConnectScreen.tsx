import { zodResolver } from '@hookform/resolvers/zod';
import { Anchor, Button, Center, Paper, PasswordInput, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { contract } from '../../../../shared/contract/index.ts';
import { useCommand, useCommandQuery } from '../../lib/api.ts';
import { showRefusal } from '../../lib/forms.ts';

const schema = contract['sync.connect'].input;
type Values = z.input<typeof schema>;

/** First run on a workstation of a brokerage that already runs a sync server. */
export function ConnectScreen({ onSetUpInstead }: { onSetUpInstead(): void }) {
  const client = useQueryClient();
  const connect = useCommand('sync.connect');
  const status = useCommandQuery('sync.status', {});
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { serverUrl: '', email: '', password: '' } });
  const submit = form.handleSubmit(async (values) => {
    try {
      await connect.mutateAsync(values);
      await client.invalidateQueries();
    } catch (error) {
      showRefusal(error, form.setError, 'Not connected');
    }
  });
  const e = form.formState.errors;
  const progress = status.data?.progress;
  return (
    <Center mih="100vh" bg="gray.1" p="md">
      <Paper withBorder shadow="sm" p="xl" w={460} component="form" onSubmit={(ev) => void submit(ev)} noValidate aria-label="Connect to a server">
        <Stack gap="sm">
          <Title order={1} size="h3">
            Connect to your company&apos;s server
          </Title>
          <Text size="sm" c="dimmed">
            This workstation copies your brokerage&apos;s data from the sync server, then keeps working when the network is down and sends your changes when it is back.
          </Text>
          <TextInput label="Server address" placeholder="https://sync.yourbrokerage.com" autoFocus {...form.register('serverUrl')} error={e.serverUrl?.message} />
          <TextInput label="Email" type="email" autoComplete="username" {...form.register('email')} error={e.email?.message} />
          <PasswordInput label="Password" autoComplete="current-password" {...form.register('password')} error={e.password?.message} />
          {form.formState.isSubmitting ? (
            <Stack gap={4}>
              <Progress value={progress && progress.total > 0 ? (100 * progress.done) / progress.total : 5} animated aria-label="First sync progress" />
              <Text size="xs" c="dimmed">
                {progress ? `Copying records: ${progress.done.toLocaleString()} of ${progress.total.toLocaleString()}` : 'Signing in and copying your data…'}
              </Text>
            </Stack>
          ) : null}
          <Button type="submit" loading={form.formState.isSubmitting} mt="sm">
            Connect and sign in
          </Button>
          <Text size="sm" ta="center">
            No server?{' '}
            <Anchor component="button" type="button" onClick={onSetUpInstead}>
              Set up a workspace on this computer
            </Anchor>
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
