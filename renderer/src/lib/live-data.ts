import type { QueryClient } from '@tanstack/react-query';
import type { NotchifyBridge } from '../../../shared/contract/bridge.ts';
import { events, type EventPayload } from '../../../shared/contract/events.ts';

type ChangedEntity = EventPayload<'data.changed'>['entities'][number];

/** Which queries show which entity's rows. */
const QUERIES_OF: Record<ChangedEntity, string[]> = {
  workspaces: ['session.'],
  users: ['users.', 'session.', 'audit.'],
  customers: ['customers.', 'audit.'],
  carriers: ['carriers.', 'audit.', 'loads.matches'],
  loads: ['loads.', 'customers.credit', 'audit.'],
  loadEvents: ['loads.events'],
  outbox: ['sync.'],
};

/** Refetches what the engine says changed, and the session when it changes. */
export function connectLiveData(bridge: NotchifyBridge, client: QueryClient): () => void {
  const offData = bridge.on('data.changed', (payload) => {
    const parsed = events['data.changed'].safeParse(payload);
    if (!parsed.success) return;
    const prefixes = new Set(parsed.data.entities.flatMap((entity) => QUERIES_OF[entity]));
    void client.invalidateQueries({
      predicate: (query) => {
        const name = String(query.queryKey[0]);
        return [...prefixes].some((prefix) => name.startsWith(prefix));
      },
    });
  });
  const offSession = bridge.on('session.changed', () => {
    void client.invalidateQueries();
  });
  const offSync = bridge.on('sync.changed', (payload) => {
    const parsed = events['sync.changed'].safeParse(payload);
    if (!parsed.success) return;
    const before = client.getQueryData<{ issues: number }>(['sync.status', {}]);
    client.setQueryData(['sync.status', {}], parsed.data);
    if (before?.issues !== parsed.data.issues) void client.invalidateQueries({ queryKey: ['sync.issues'] });
  });
  return () => {
    offData();
    offSession();
    offSync();
  };
}
