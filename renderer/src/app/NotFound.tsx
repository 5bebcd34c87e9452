import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function NotFound() {
  return (
    <Stack p="xl" align="flex-start">
      <Title order={1} size="h3">
        This page does not exist
      </Title>
      <Text c="dimmed">The link may be old. Pick a screen on the left.</Text>
      <Button component={Link} to="/customers" variant="light">
        Go to customers
      </Button>
    </Stack>
  );
}
