import { Badge, Button, Group, Modal, Paper, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { LoadView } from '../../../../shared/contract/loads.ts';
import { EntityPicker } from '../../components/form/EntityPicker.tsx';
import { MoneyInput } from '../../components/form/MoneyInput.tsx';
import { useCommand, useCommandQuery } from '../../lib/api.ts';
import { formatMoney } from '../../lib/format.ts';
import { showRefusal, showSaved } from '../../lib/forms.ts';
import { Refusal } from './dialogs.tsx';

interface Choice {
  id: string;
  name: string;
}

/** Ranked compliant carriers with their reasons; the ones that may not haul it apart; any other by search. */
export function BookCarrierDialog({ load, onClose }: { load: LoadView; onClose(): void }) {
  const matches = useCommandQuery('loads.matches', { id: load.id });
  const book = useCommand('loads.book');
  const [choice, setChoice] = useState<Choice | null>(null);
  const [rate, setRate] = useState<number>(load.targetCarrierRateCents ?? Math.round(load.customerTotalCents * 0.85));
  const [failure, setFailure] = useState<unknown>(null);

  const confirm = async () => {
    if (!choice) return;
    setFailure(null);
    try {
      await book.mutateAsync({ id: load.id, expectedVersion: load.version, carrierId: choice.id, carrierRateCents: rate });
      showSaved(`${load.loadNumber} booked with ${choice.name}`);
      onClose();
    } catch (error) {
      setFailure(error);
      showRefusal(error, undefined, 'Not booked', { toast: false });
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Book a carrier · ${load.loadNumber} · ${load.originCity}, ${load.originState} → ${load.destCity}, ${load.destState}`} size="70rem">
      <Stack gap="sm">
        <Refusal error={failure} />
        <Paper withBorder p="sm" bg="gray.0">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <EntityPicker kind="carriers.options" label="Carrier" placeholder="Pick from the list below, or type a name or MC number" value={choice?.id ?? null} valueLabel={choice?.name ?? null} onChange={(id, name) => setChoice(id && name ? { id, name } : null)} w={360} />
            <MoneyInput label="Carrier rate (all in)" value={rate} onChange={setRate} w={170} />
            <Text size="sm" c="dimmed" pb={6}>
              Margin {formatMoney(load.customerTotalCents - (Number.isFinite(rate) ? rate : 0))}
            </Text>
            <Button onClick={() => void confirm()} disabled={!choice || !Number.isFinite(rate)} loading={book.isPending}>
              Book {choice ? choice.name : 'carrier'}
            </Button>
          </Group>
        </Paper>
        {matches.isPending ? (
          <Text c="dimmed">Ranking carriers…</Text>
        ) : matches.isError ? (
          <Text c="red">{matches.error.message}</Text>
        ) : (
          <ScrollArea.Autosize mah="55vh">
            <Stack gap="sm">
              <Text fw={600} size="sm">
                Best matches ({matches.data.rankedTotal.toLocaleString('en-US')} compliant)
              </Text>
              {matches.data.ranked.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No compliant carrier runs this equipment in {load.originState} or {load.destState}. Search for one above.
                </Text>
              ) : (
                <Table aria-label="Ranked carriers" highlightOnHover verticalSpacing={4}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Carrier</Table.Th>
                      <Table.Th>Score</Table.Th>
                      <Table.Th>Why</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {matches.data.ranked.map((m) => (
                      <Table.Tr key={m.carrierId} bg={choice?.id === m.carrierId ? 'var(--mantine-color-notchify-0)' : undefined}>
                        <Table.Td>
                          <Text size="sm" fw={600}>{m.companyName}</Text>
                          <Text size="xs" c="dimmed">
                            {m.mcNumber ? `MC-${m.mcNumber}` : ''} {m.phone ?? ''}
                          </Text>
                        </Table.Td>
                        <Table.Td className="tabular">{m.score.toFixed(1)}</Table.Td>
                        <Table.Td>
                          <Group gap={4}>
                            {m.reasons.map((r) => (
                              <Badge key={r} variant="light" color="gray" size="sm" radius="sm" tt="none">
                                {r}
                              </Badge>
                            ))}
                          </Group>
                        </Table.Td>
                        <Table.Td>
                          <Button size="xs" variant="light" aria-label={`Choose ${m.companyName}`} onClick={() => setChoice({ id: m.carrierId, name: m.companyName })}>
                            Choose
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              {matches.data.excluded.length > 0 ? (
                <>
                  <Text fw={600} size="sm" c="red.8">
                    Not compliant ({matches.data.excludedTotal.toLocaleString('en-US')})
                  </Text>
                  <Table aria-label="Carriers that may not haul this load" verticalSpacing={4}>
                    <Table.Tbody>
                      {matches.data.excluded.map((m) => (
                        <Table.Tr key={m.carrierId}>
                          <Table.Td w={280}>
                            <Text size="sm">{m.companyName}</Text>
                            <Text size="xs" c="dimmed">{m.mcNumber ? `MC-${m.mcNumber}` : ''}</Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm" c="red.8">{m.problems.join('; ')}</Text>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </>
              ) : null}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Stack>
    </Modal>
  );
}
