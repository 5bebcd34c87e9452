import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { SyncIssue } from '../../../../shared/contract/sync.ts';
import { useCommand, useCommandQuery } from '../../lib/api.ts';
import { relativeTime } from '../../lib/format.ts';
import { showRefusal } from '../../lib/forms.ts';

const STATE_TEXT = {
  standalone: 'Not connected to a server: this workstation keeps its own data.',
  online: 'Connected. Changes go to the server as you make them.',
  syncing: 'Syncing with the server…',
  offline: 'The server cannot be reached. Keep working: your changes wait here and go out when it answers.',
  signInRequired: 'Your session with the server has ended. Sign out and sign in again to send your changes; they are kept until then.',
  updateRequired: 'The server needs a newer version of Notchify. Your changes are kept and go out after the update.',
  error: 'Sync stopped on an error; it will try again.',
} as const;

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Stack>
  );
}

/** The Sync screen: how this workstation's sync stands, and the inbox of refused changes. */
export function SyncPage() {
  const status = useCommandQuery('sync.status', {});
  const issues = useCommandQuery('sync.issues', {});
  const syncNow = useCommand('sync.now');
  const s = status.data;
  return (
    <Stack p="lg" gap="md" style={{ overflow: 'auto' }}>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Sync
        </Title>
        {s && s.state !== 'standalone' ? (
          <Button onClick={() => void syncNow.mutateAsync({}).catch((e: unknown) => showRefusal(e, undefined, 'Sync failed'))} loading={syncNow.isPending}>
            Sync now
          </Button>
        ) : null}
      </Group>
      {s ? (
        <Paper withBorder p="md" aria-label="Sync status">
          <Stack gap="sm">
            <Text>{STATE_TEXT[s.state]}</Text>
            {s.message && s.state === 'online' ? (
              // Online, a message is news the clerk must not miss (the server was restored from a backup).
              <Alert color="yellow" title="Synced again from the start">
                {s.message}
              </Alert>
            ) : s.message ? (
              <Text size="sm" c="dimmed">
                {s.message}
              </Text>
            ) : null}
            <SimpleGrid cols={4}>
              <Fact label="Server" value={s.serverUrl ?? '—'} />
              <Fact label="Last sync" value={s.lastSyncAt ? relativeTime(s.lastSyncAt) : 'Never'} />
              <Fact label="Waiting to send" value={`${String(s.pending)} change${s.pending === 1 ? '' : 's'}`} />
              <Fact label="Sync issues" value={String(s.issues)} />
            </SimpleGrid>
          </Stack>
        </Paper>
      ) : null}
      <Title order={2} size="h3">
        Sync issues
      </Title>
      <IssuesTable issues={issues.data ?? []} loading={issues.isPending} />
    </Stack>
  );
}

function IssuesTable({ issues, loading }: { issues: SyncIssue[]; loading: boolean }) {
  const discard = useCommand('sync.discardIssue');
  if (loading) return null;
  if (issues.length === 0) {
    return (
      <Alert color="teal" variant="light" title="No sync issues">
        Every change you made on this workstation has been accepted by the server, or is still on its way.
      </Alert>
    );
  }
  return (
    <Table striped withTableBorder aria-label="Sync issues" verticalSpacing="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Made</Table.Th>
          <Table.Th>What it was</Table.Th>
          <Table.Th>Why it was refused</Table.Th>
          <Table.Th>Changed first by</Table.Th>
          <Table.Th aria-label="Actions" />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {issues.map((issue) => (
          <Table.Tr key={`${issue.clientId}:${String(issue.mutationId)}`}>
            <Table.Td>
              <Text size="sm">{new Date(issue.createdAt).toLocaleString()}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{issue.summary}</Text>
            </Table.Td>
            <Table.Td>
              <Badge color="red" variant="light" size="sm" mb={4}>
                {issue.code}
              </Badge>
              <Text size="sm">{issue.message}</Text>
            </Table.Td>
            <Table.Td>
              {issue.conflict ? (
                <Text size="sm">
                  {issue.conflict.changedBy ?? 'Someone'}, {new Date(issue.conflict.changedAt).toLocaleString()}
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  —
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Button
                variant="subtle"
                color="gray"
                size="xs"
                aria-label={`Discard: ${issue.summary}`}
                onClick={() => void discard.mutateAsync({ clientId: issue.clientId, mutationId: issue.mutationId }).catch((e: unknown) => showRefusal(e, undefined, 'Not discarded'))}
              >
                Discard
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
