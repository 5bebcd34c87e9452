import { Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ColumnsMenu, type ColumnChoice } from './grid/ColumnsMenu.tsx';
import { DataGrid, type GridColumns, type GridSort } from './grid/DataGrid.tsx';
import { useGridPrefs } from './grid/use-grid-prefs.ts';
import { usePagedRows, type ListFilters, type PagedListName } from './grid/use-paged-rows.ts';
import type { In, Out } from '../../../shared/contract/index.ts';

type Row<N extends PagedListName> = Out<N>['rows'][number];
type SortField<N extends PagedListName> = NonNullable<In<N>['sort']>['field'];

interface ListState<F extends string, X> {
  search: string;
  sort: GridSort<F>;
  extra: X;
  activeIndex: number;
}

/** Where each list was left (search, sort, filters, row), so coming back from a record restores it. */
const remembered = new Map<string, unknown>();

/** The columns menu lists the grid's own columns by their headers; the first names the row and stays. */
function choicesOf(columns: readonly unknown[]): ColumnChoice[] {
  return columns.map((column, i) => {
    const def = column as { id?: string; accessorKey?: string; header?: unknown };
    const id = def.id ?? def.accessorKey ?? String(i);
    return { id, label: typeof def.header === 'string' ? def.header : id, locked: i === 0 };
  });
}

export interface ListPageProps<N extends PagedListName, X> {
  title: string;
  grid: 'customers' | 'carriers' | 'loads';
  list: N;
  columns: GridColumns<Row<N>>;
  sortFields: readonly SortField<N>[];
  defaultSort: GridSort<SortField<N>>;
  /** Extra filters beyond quick search, and the controls that set them. */
  defaultExtra: X;
  toFilters(extra: X): Omit<ListFilters<N>, 'search' | 'sort'>;
  renderFilters(extra: X, setExtra: (next: X) => void): ReactNode;
  searchPlaceholder: string;
  newLabel?: string;
  onNew?: () => void;
  onOpen(row: Row<N>): void;
  emptyAll: ReactNode;
  rowTone?(row: Row<N>): 'muted' | 'late' | undefined;
  /** Columns the grid starts without; the Columns menu shows them. */
  hiddenByDefault?: readonly string[];
  /** Toolbar actions that work on the current view (e.g. export), given its filters and visible columns in order. */
  viewActions?(filters: ListFilters<N>, visibleColumns: string[]): ReactNode;
}

export function ListPage<N extends PagedListName, X>(props: ListPageProps<N, X>) {
  const initial = (remembered.get(props.grid) as ListState<SortField<N>, X> | undefined) ?? {
    search: '',
    sort: props.defaultSort,
    extra: props.defaultExtra,
    activeIndex: 0,
  };
  const [search, setSearch] = useState(initial.search);
  // The search typed so far reaches the query after a pause; Enter sends it at once.
  const [debounced, setDebounced] = useState(initial.search);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search), 150);
    return () => clearTimeout(timer);
  }, [search]);
  const [sort, setSort] = useState(initial.sort);
  const [extra, setExtra] = useState<X>(initial.extra);
  const [activeIndex, setActiveIndex] = useState(initial.activeIndex);
  const [visible, setVisible] = useState({ start: 0, end: 40 });
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    remembered.set(props.grid, { search, sort, extra, activeIndex } satisfies ListState<SortField<N>, X>);
  }, [props.grid, search, sort, extra, activeIndex]);

  // The page's own state plus its extra filters make up the list query's input.
  const filters = { search: debounced, sort, ...props.toFilters(extra) } as unknown as ListFilters<N>;
  const rows = usePagedRows(props.list, filters, visible);
  const choices = choicesOf(props.columns);
  const prefs = useGridPrefs(props.grid, choices.map((c) => c.id), props.hiddenByDefault);

  const resetPosition = useCallback(() => setActiveIndex(0), []);
  const hotkeys: [string, () => void][] = [
    ['mod+K', () => searchRef.current?.focus()],
    ['/', () => searchRef.current?.focus()],
  ];
  if (props.onNew) hotkeys.push(['alt+N', props.onNew]);
  useHotkeys(hotkeys);

  const filtered = debounced !== '' || JSON.stringify(extra) !== JSON.stringify(props.defaultExtra);

  return (
    <Stack gap="sm" h="100%" p="md">
      <Group justify="space-between" wrap="nowrap">
        <Title order={1} size="h3">
          {props.title}
        </Title>
        {props.onNew && props.newLabel ? (
          <Button onClick={props.onNew} title="Alt+N">
            {props.newLabel}
          </Button>
        ) : null}
      </Group>
      <Group gap="xs" wrap="wrap">
        <TextInput
          ref={searchRef}
          aria-label="Quick search"
          placeholder={props.searchPlaceholder}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            resetPosition();
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault();
              setDebounced(search);
              document.querySelector<HTMLElement>(`[role="grid"][aria-label="${props.title}"]`)?.focus();
            }
          }}
          w={320}
          rightSection={<Text size="xs" c="dimmed">/</Text>}
        />
        {props.renderFilters(extra, (next) => {
          setExtra(next);
          resetPosition();
        })}
        <div style={{ flex: 1 }} />
        {props.viewActions?.(filters, prefs.order.filter((id) => prefs.visibility[id] !== false))}
        <ColumnsMenu
          columns={choices}
          order={prefs.order}
          visibility={prefs.visibility}
          onVisibleChange={prefs.setVisible}
          onMove={prefs.move}
          onReset={prefs.reset}
        />
      </Group>
      {rows.error ? (
        <Text c="red" role="alert">
          {rows.error.message}
        </Text>
      ) : null}
      <DataGrid
        label={props.title}
        columns={props.columns}
        total={rows.total}
        rowsByIndex={rows.rowsByIndex}
        sort={sort}
        sortableFields={props.sortFields}
        onSortChange={(next) => {
          setSort(next);
          resetPosition();
        }}
        columnVisibility={prefs.visibility}
        columnOrder={prefs.order}
        onVisibleRangeChange={setVisible}
        activeIndex={activeIndex}
        onActiveIndexChange={setActiveIndex}
        onOpen={props.onOpen}
        loading={rows.isFetching || !prefs.ready}
        rowTone={props.rowTone}
        empty={
          filtered ? (
            <Stack align="center" gap={4} py="xl">
              <Text fw={600}>Nothing matches</Text>
              <Text size="sm" c="dimmed">
                No {props.title.toLowerCase()} match {debounced ? `“${debounced}”` : 'these filters'}. Try fewer words or clear the filters.
              </Text>
            </Stack>
          ) : (
            props.emptyAll
          )
        }
      />
    </Stack>
  );
}
