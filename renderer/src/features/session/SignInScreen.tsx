import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { contract } from '../../../../shared/contract/index.ts';
import { useCommand } from '../../lib/api.ts';
import { showRefusal } from '../../lib/forms.ts';

const schema = contract['session.signIn'].input;
type Values = z.input<typeof schema>;

export function SignInScreen({ workspaceName }: { workspaceName: string }) {
  const client = useQueryClient();
  const signIn = useCommand('session.signIn');
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { email: '', password: '' } });
  const submit = form.handleSubmit(async (values) => {
    try {
      await signIn.mutateAsync(values);
      await client.invalidateQueries({ queryKey: ['session.current'] });
    } catch (error) {
      showRefusal(error, form.setError, 'Not signed in');
    }
  });
  return (
    <Center mih="100vh" bg="gray.1" p="md">
      <Paper withBorder shadow="sm" p="xl" w={400} component="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Sign in">
        <Stack gap="sm">
          <Title order={1} size="h3">
            Sign in
          </Title>
          <Text size="sm" c="dimmed">
            {workspaceName}
          </Text>
          <TextInput label="Email" type="email" autoComplete="username" autoFocus {...form.register('email')} error={form.formState.errors.email?.message} />
          <PasswordInput label="Password" autoComplete="current-password" {...form.register('password')} error={form.formState.errors.password?.message} />
          <Button type="submit" loading={form.formState.isSubmitting} mt="sm">
            Sign in
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
