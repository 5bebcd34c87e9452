import { keepPreviousData, useQueries } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';
import type { In, Out } from '../../../../shared/contract/index.ts';
import { invoke, type ApiError } from '../../lib/api.ts';

export const PAGE_SIZE = 100;

export type PagedListName = 'customers.list' | 'carriers.list' | 'loads.list';
type ListRow<N extends PagedListName> = Out<N>['rows'][number];
export type ListFilters<N extends PagedListName> = Omit<In<N>, 'offset' | 'limit'>;

export interface PagedRows<Row> {
  /** Rows matching the filters in the engine; undefined until the first page answers. */
  total: number | undefined;
  /** Loaded rows by their position in the sorted list. */
  rowsByIndex: Map<number, Row>;
  isFetching: boolean;
  error: ApiError | null;
}

/**
 * The rows of a long list, fetched a page (100 rows) at a time for the part of the list on
 * screen: sorting, filtering and counting happen in the engine, and the screen never holds more
 * than a few pages, whether the list has 50 rows or 100,000.
 */
export function usePagedRows<N extends PagedListName>(
  name: N,
  filters: ListFilters<N>,
  visible: { start: number; end: number },
): PagedRows<ListRow<N>> {
  const first = Math.floor(visible.start / PAGE_SIZE);
  const last = Math.max(first, Math.floor(visible.end / PAGE_SIZE));
  const pages: number[] = [];
  for (let p = first; p <= last; p++) pages.push(p);

  const results = useQueries({
    queries: pages.map((page) => {
      const input = { ...filters, offset: page * PAGE_SIZE, limit: PAGE_SIZE } as In<N>;
      return {
        queryKey: [name, input],
        queryFn: () => invoke(name, input),
        placeholderData: keepPreviousData,
      };
    }),
  });

  const lastTotal = useRef<number | undefined>(undefined);
  const answered = results.find((r) => r.data !== undefined && !r.isPlaceholderData) ?? results.find((r) => r.data);
  if (answered?.data) lastTotal.current = answered.data.total;

  const dataKey = results.map((r) => r.dataUpdatedAt).join(',');
  const rowsByIndex = useMemo(() => {
    const map = new Map<number, ListRow<N>>();
    results.forEach((result, i) => {
      const base = (pages[i] ?? 0) * PAGE_SIZE;
      result.data?.rows.forEach((row, j) => map.set(base + j, row));
    });
    return map;
    // The page results change identity every render; their update stamps say when data changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dataKey, first, last]);

  return {
    total: lastTotal.current,
    rowsByIndex,
    isFetching: results.some((r) => r.isFetching),
    error: (results.find((r) => r.error)?.error as ApiError | null | undefined) ?? null,
  };
}
