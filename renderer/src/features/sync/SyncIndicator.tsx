import { Badge, Tooltip, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';
import type { SyncStatusView } from '../../../../shared/contract/sync.ts';
import { useCommandQuery } from '../../lib/api.ts';
import { relativeTime } from '../../lib/format.ts';

const LOOK: Record<SyncStatusView['state'], { color: string; label: (s: SyncStatusView) => string }> = {
  standalone: { color: 'gray', label: () => 'Local data · offline ready' },
  online: { color: 'teal', label: (s) => (s.pending > 0 ? `Online · ${String(s.pending)} to send` : 'Online · up to date') },
  syncing: { color: 'blue', label: (s) => (s.progress ? `Syncing ${String(Math.round((100 * s.progress.done) / Math.max(1, s.progress.total)))}%` : 'Syncing…') },
  offline: { color: 'orange', label: (s) => `Offline · ${String(s.pending)} waiting` },
  signInRequired: { color: 'red', label: (s) => `Sign in again · ${String(s.pending)} waiting` },
  updateRequired: { color: 'red', label: () => 'Update needed to sync' },
  error: { color: 'red', label: () => 'Sync problem' },
};

/** The header's online/offline indicator; opens the Sync screen. */
export function SyncIndicator() {
  const status = useCommandQuery('sync.status', {});
  if (!status.data) return null;
  const s = status.data;
  const look = LOOK[s.state];
  const tip = [s.message, s.lastSyncAt ? `Last sync ${relativeTime(s.lastSyncAt)}` : null, s.issues > 0 ? `${String(s.issues)} sync issue(s)` : null].filter(Boolean).join(' · ');
  return (
    <Tooltip label={tip || 'Sync'} disabled={s.state === 'standalone'}>
      <UnstyledButton component={Link} to="/sync" aria-label={`Sync: ${look.label(s)}${s.issues > 0 ? `, ${String(s.issues)} issues` : ''}`}>
        <Badge color={look.color} variant="filled" size="md" radius="sm">
          {look.label(s)}
          {s.issues > 0 ? ` · ${String(s.issues)} issue${s.issues === 1 ? '' : 's'}` : ''}
        </Badge>
      </UnstyledButton>
    </Tooltip>
  );
}
