import { Stack, Table, Text } from '@mantine/core';
import type { EntityName } from '../../../shared/domain/port.ts';
import { useCommandQuery } from '../lib/api.ts';

const VERB: Record<string, string> = {
  'customers.create': 'Created',
  'customers.update': 'Edited',
  'customers.setStatus': 'Changed status',
  'carriers.create': 'Created',
  'carriers.update': 'Edited',
  'carriers.setStatus': 'Changed status',
  'carriers.setBankAccount': 'Changed bank account',
  'carriers.revealBankAccount': 'Revealed bank account number',
  'users.create': 'Created',
  'users.update': 'Edited',
  'users.resetPassword': 'Reset password',
  'users.changeOwnPassword': 'Changed own password',
  'workspace.setup': 'Created at set-up',
  'loads.create': 'Entered',
  'loads.update': 'Edited',
  'loads.book': 'Booked',
  'loads.overrideCredit': 'Credit override',
  'loads.transition': 'Status changed',
  'loads.cancel': 'Cancelled',
  'loads.checkCall': 'Check call',
};

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Who changed this record, when, and what changed: read from the local audit log. */
export function RecordHistory({ entity, id }: { entity: EntityName; id: string }) {
  const history = useCommandQuery('audit.history', { entity, id });
  if (history.isPending) return <Text c="dimmed">Loading history…</Text>;
  if (history.isError) return <Text c="red">{history.error.message}</Text>;
  if (history.data.length === 0) return <Text c="dimmed">No changes recorded yet.</Text>;
  return (
    <Table striped withTableBorder aria-label="Change history" fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={170}>When</Table.Th>
          <Table.Th w={160}>Who</Table.Th>
          <Table.Th w={190}>What</Table.Th>
          <Table.Th>Changes</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {[...history.data].reverse().map((entry) => (
          <Table.Tr key={entry.id}>
            <Table.Td className="tabular">{new Date(entry.at).toLocaleString()}</Table.Td>
            <Table.Td>{entry.actorName ?? entry.actorUserId}</Table.Td>
            <Table.Td>{VERB[entry.mutationName] ?? entry.mutationName}</Table.Td>
            <Table.Td>
              {entry.created ? (
                <Text size="sm" c="dimmed">
                  Record created
                </Text>
              ) : (
                <Stack gap={2}>
                  {Object.entries(entry.changes).map(([field, [before, after]]) => (
                    <Text key={field} size="sm">
                      <b>{field}</b>: {show(before)} → {show(after)}
                    </Text>
                  ))}
                </Stack>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
