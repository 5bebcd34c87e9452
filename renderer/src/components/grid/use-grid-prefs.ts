import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { GRID_IDS, GridPrefs } from '../../../../shared/contract/records.ts';
import { invoke, queryKey, useCommandQuery } from '../../lib/api.ts';

type GridId = (typeof GRID_IDS)[number];

/** Column visibility and order, saved per user on this desktop. Some columns start hidden until the user shows them. */
export function useGridPrefs(grid: GridId, allColumns: string[], hiddenByDefault: readonly string[] = []) {
  const client = useQueryClient();
  const prefs = useCommandQuery('prefs.getGrid', { grid }, { staleTime: Infinity });
  const visibility: Record<string, boolean> = { ...Object.fromEntries(hiddenByDefault.map((id) => [id, false])), ...prefs.data?.columnVisibility };
  const saved = prefs.data?.columnOrder ?? [];
  const order = [...saved.filter((id) => allColumns.includes(id)), ...allColumns.filter((id) => !saved.includes(id))];

  const save = useCallback(
    (next: GridPrefs) => {
      client.setQueryData(queryKey('prefs.getGrid', { grid }), next);
      void invoke('prefs.setGrid', { grid, prefs: next });
    },
    [client, grid],
  );

  return {
    ready: !prefs.isPending,
    visibility,
    order,
    setVisible: (column: string, visible: boolean) =>
      save({ columnVisibility: { ...visibility, [column]: visible }, columnOrder: order }),
    move: (column: string, by: -1 | 1) => {
      const i = order.indexOf(column);
      const j = i + by;
      if (i < 0 || j < 0 || j >= order.length) return;
      const next = [...order];
      [next[i], next[j]] = [next[j] ?? column, next[i] ?? column];
      save({ columnVisibility: visibility, columnOrder: next });
    },
    reset: () => save({ columnVisibility: {}, columnOrder: [] }),
  };
}
