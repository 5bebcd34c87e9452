import { Center, Code, Paper, Stack, Text, Title } from '@mantine/core';

/** Shown when the page was opened without the web host's launch link. */
export function NotConnected() {
  return (
    <Center h="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" maw={520}>
        <Stack gap="sm">
          <Title order={2}>Open Notchify from its launch link</Title>
          <Text>
            For your safety this page only works when opened from the link that <Code>npm run web</Code> prints in the
            terminal (it carries a one-time key). Open that link, or restart <Code>npm run web</Code> to get a new one.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
