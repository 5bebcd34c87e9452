import { Box, Center, Loader, Text, UnstyledButton } from '@mantine/core';
import {
  columnOrderingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnHelper,
  type ColumnOrderState,
  type ColumnVisibilityState,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import classes from './DataGrid.module.css';

export const gridFeatures = tableFeatures({
  rowSortingFeature,
  columnVisibilityFeature,
  columnOrderingFeature,
  columnSizingFeature,
});
export type GridFeatures = typeof gridFeatures;
export type GridColumns<Row extends { id: string }> = ReturnType<ColumnHelper<GridFeatures, Row>['columns']>;

export interface GridSort<F extends string> {
  field: F;
  dir: 'asc' | 'desc';
}

const ROW_HEIGHT = 34;

export interface DataGridProps<Row extends { id: string }, F extends string> {
  /** Accessible name of the grid, e.g. "Customers". */
  label: string;
  columns: GridColumns<Row>;
  total: number | undefined;
  rowsByIndex: Map<number, Row>;
  sort: GridSort<F>;
  sortableFields: readonly F[];
  onSortChange(sort: GridSort<F>): void;
  columnVisibility: ColumnVisibilityState;
  columnOrder: ColumnOrderState;
  /** The part of the list on screen changed (rows [start, end]). */
  onVisibleRangeChange(range: { start: number; end: number }): void;
  activeIndex: number;
  onActiveIndexChange(index: number): void;
  onOpen(row: Row): void;
  empty: ReactNode;
  loading: boolean;
  /** Per-row emphasis (e.g. inactive rows greyed). */
  rowTone?(row: Row): 'muted' | 'late' | undefined;
}

/**
 * A dense, virtualized, keyboard-first grid over a list the engine sorts and windows. Arrow keys,
 * Page Up/Down, Home/End move the active row; Enter opens it; a click opens it too. Only the
 * rows on screen are rendered, and only the pages on screen are fetched.
 */
export function DataGrid<Row extends { id: string }, F extends string>(props: DataGridProps<Row, F>) {
  const { rowsByIndex, total, activeIndex, onActiveIndexChange, onOpen, onVisibleRangeChange } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = total ?? 0;

  const loadedRows = useMemo(() => [...rowsByIndex.values()], [rowsByIndex]);
  const sorting: SortingState = useMemo(() => [{ id: props.sort.field, desc: props.sort.dir === 'desc' }], [props.sort]);

  const table = useTable({
    features: gridFeatures,
    columns: props.columns,
    data: loadedRows,
    getRowId: (row) => row.id,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    state: { sorting, columnVisibility: props.columnVisibility, columnOrder: props.columnOrder },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      if (first && (props.sortableFields as readonly string[]).includes(first.id)) {
        props.onSortChange({ field: first.id as F, dir: first.desc ? 'desc' : 'asc' });
      }
    },
  });

  const rowById = new Map(table.getRowModel().rows.map((row) => [row.id, row]));
  const visibleColumns = table.getVisibleLeafColumns();
  const template = visibleColumns.map((c, i) => (i === visibleColumns.length - 1 ? `minmax(${String(c.getSize())}px, 1fr)` : `${String(c.getSize())}px`)).join(' ');
  const width = visibleColumns.reduce((sum, c) => sum + c.getSize(), 0);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const start = items[0]?.index ?? 0;
  const end = items[items.length - 1]?.index ?? 0;
  useEffect(() => onVisibleRangeChange({ start, end }), [start, end, onVisibleRangeChange]);

  // Enter pressed while the list is still answering a new search or sort opens the row once the
  // answer is in, not a row of the list that was on screen before.
  const [openWhenSettled, setOpenWhenSettled] = useState(false);
  useEffect(() => {
    if (!openWhenSettled || props.loading) return;
    setOpenWhenSettled(false);
    const row = rowsByIndex.get(activeIndex);
    if (row) onOpen(row);
  }, [openWhenSettled, props.loading, rowsByIndex, activeIndex, onOpen]);

  const move = useCallback(
    (index: number) => {
      setOpenWhenSettled(false);
      if (count === 0) return;
      const next = Math.max(0, Math.min(count - 1, index));
      onActiveIndexChange(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    },
    [count, onActiveIndexChange, virtualizer],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(activeIndex + 1),
      ArrowUp: () => move(activeIndex - 1),
      PageDown: () => move(activeIndex + pageRows),
      PageUp: () => move(activeIndex - pageRows),
      Home: () => move(0),
      End: () => move(count - 1),
      Enter: () => {
        const row = rowsByIndex.get(activeIndex);
        if (props.loading || !row) setOpenWhenSettled(true);
        else onOpen(row);
      },
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  const activeRow = rowsByIndex.get(activeIndex);
  const idPrefix = props.label.replace(/\W+/g, '-').toLowerCase();

  return (
    <div className={classes.frame}>
      <div
        ref={scrollRef}
        className={classes.scroller}
        role="grid"
        aria-label={props.label}
        aria-rowcount={count + 1}
        aria-colcount={visibleColumns.length}
        aria-activedescendant={activeRow ? `${idPrefix}-row-${activeRow.id}` : undefined}
        aria-busy={props.loading}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div className={classes.header} role="rowgroup" style={{ minWidth: width }}>
          <div role="row" aria-rowindex={1} className={classes.row} style={{ gridTemplateColumns: template }}>
            {table.getHeaderGroups()[0]?.headers
              .filter((header) => header.column.getIsVisible())
              .map((header) => {
                const sorted = header.column.getIsSorted();
                const canSort = (props.sortableFields as readonly string[]).includes(header.column.id);
                const label = typeof header.column.columnDef.header === 'string' ? header.column.columnDef.header : header.column.id;
                return (
                  <div
                    key={header.id}
                    role="columnheader"
                    className={classes.headerCell}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                  >
                    {canSort ? (
                      <UnstyledButton
                        className={classes.sortButton}
                        onClick={header.column.getToggleSortingHandler()}
                        aria-label={`Sort by ${label}`}
                        tabIndex={-1}
                      >
                        <span>{label}</span>
                        <span className={classes.sortMark} aria-hidden>
                          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                        </span>
                      </UnstyledButton>
                    ) : (
                      <span>{label}</span>
                    )}
                  </div>
                );
              })}
          </div>
        </div>
        {props.loading && total === undefined ? (
          <Center p="xl">
            <Loader size="sm" aria-label="Loading" />
          </Center>
        ) : count === 0 ? (
          <Box p="xl">{props.empty}</Box>
        ) : (
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: width }}>
            {items.map((item) => {
              const data = rowsByIndex.get(item.index);
              const row = data ? rowById.get(data.id) : undefined;
              const isActive = item.index === activeIndex;
              const select = () => {
                onActiveIndexChange(item.index);
                if (data) onOpen(data);
              };
              return row && data ? (
                <GridRow
                  key={data.id}
                  data={data}
                  cells={row.getVisibleCells().map((cell) => ({ id: cell.id, node: <table.FlexRender cell={cell} /> }))}
                  columnsKey={template}
                  id={`${idPrefix}-row-${data.id}`}
                  rowIndex={item.index + 2}
                  start={item.start}
                  active={isActive}
                  tone={props.rowTone?.(data)}
                  onSelect={select}
                />
              ) : (
                // A row whose page is still on its way: one light placeholder, not a skeleton per
                // cell, so a fast scroll over thousands of rows stays cheap to draw.
                <div
                  key={`pending-${String(item.index)}`}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={isActive}
                  className={classes.row}
                  style={{ gridTemplateColumns: template, height: ROW_HEIGHT, transform: `translateY(${String(item.start)}px)` }}
                  onClick={select}
                >
                  <div role="gridcell" aria-colspan={visibleColumns.length} aria-label="Loading" className={classes.pending} />
                </div>
              );
            })}
          </div>
        )}
      </div>
      <div className={classes.footer}>
        <Text size="xs" c="dimmed" aria-live="polite">
          {total === undefined ? 'Loading…' : `${total.toLocaleString('en-US')} ${total === 1 ? 'row' : 'rows'}`}
          {count > 0 ? ` · row ${Math.min(activeIndex + 1, count).toLocaleString('en-US')}` : ''}
        </Text>
        <Text size="xs" c="dimmed">
          ↑↓ move · PgUp/PgDn · Enter opens
        </Text>
      </div>
    </div>
  );
}

interface GridRowProps<Row> {
  data: Row;
  /** The visible cells, rendered (the elements are cheap; rendering them is what memo saves). */
  cells: readonly { id: string; node: ReactNode }[];
  /** Changes when the visible columns or their sizes change. */
  columnsKey: string;
  id: string;
  rowIndex: number;
  start: number;
  active: boolean;
  tone: 'muted' | 'late' | undefined;
  onSelect(): void;
}

/**
 * One loaded row. Memoised on what it shows, so moving the active row or loading the next page
 * re-renders only the rows that changed, not every row on screen.
 */
const GridRow = memo(
  function GridRow<Row>(props: GridRowProps<Row>) {
    return (
      <div
        id={props.id}
        role="row"
        aria-rowindex={props.rowIndex}
        aria-selected={props.active}
        data-tone={props.tone}
        className={classes.row}
        data-active={props.active || undefined}
        style={{ gridTemplateColumns: props.columnsKey, height: ROW_HEIGHT, transform: `translateY(${String(props.start)}px)` }}
        onClick={props.onSelect}
      >
        {props.cells.map((cell) => (
          <div key={cell.id} role="gridcell" className={classes.cell}>
            {cell.node}
          </div>
        ))}
      </div>
    );
  },
  (a, b) => a.data === b.data && a.start === b.start && a.active === b.active && a.tone === b.tone && a.columnsKey === b.columnsKey && a.cells.length === b.cells.length && a.cells.every((c, i) => c.id === b.cells[i]?.id),
) as <Row>(props: GridRowProps<Row>) => ReactNode;
