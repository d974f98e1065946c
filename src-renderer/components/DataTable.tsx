import { Box, Group, Skeleton, Table, Text } from '@mantine/core';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface DataColumn<T> {
  key: string;
  header: ReactNode;
  /** Cell content; without it the row's property named `key` is shown as text. */
  render?(row: T): ReactNode;
  align?: 'left' | 'center' | 'right';
  width?: number | string;
}

export interface DataTableProps<T> {
  rows: readonly T[];
  columns: readonly DataColumn<T>[];
  rowKey: keyof T | ((row: T) => string);
  /** Enter or a click on a row; rows are not clickable without it. */
  onOpen?(row: T): void;
  loading?: boolean;
  /** Shown instead of the table body when there are no rows (an EmptyState that says what to do). */
  empty?: ReactNode;
  /** Paging buttons, export, … under the table on the right. */
  footer?: ReactNode;
  /** "128 readings · 3,402 kWh" under the table on the left. */
  totalLabel?: ReactNode;
  /** Scroll inside the table (header stays put) instead of with the page. */
  maxHeight?: number | string;
  /** Accessible name of the table. */
  label?: string;
}

const SKELETON_ROWS = 6;

/**
 * The list every screen uses: dense, sticky header, and operable from the keyboard like a
 * spreadsheet — ↑/↓ move, Home/End jump, Enter opens — so a clerk never has to reach for the mouse.
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  onOpen,
  loading = false,
  empty,
  footer,
  totalLabel,
  maxHeight,
  label,
}: DataTableProps<T>) {
  const [cursor, setActive] = useState(-1);
  // A new page or filter must not leave the cursor past the end.
  const active = Math.min(cursor, rows.length - 1);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const pointerFocus = useRef(false);
  const keyOf = (row: T): string => (typeof rowKey === 'function' ? rowKey(row) : String(row[rowKey]));

  useEffect(() => {
    if (active < 0) return;
    const row = bodyRef.current?.children.item(active);
    if (row instanceof HTMLElement) row.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (rows.length === 0) return;
    const last = rows.length - 1;
    const moves: Record<string, () => number> = {
      ArrowDown: () => Math.min(active + 1, last),
      ArrowUp: () => Math.max(active - 1, 0),
      Home: () => 0,
      End: () => last,
      PageDown: () => Math.min(active + 10, last),
      PageUp: () => Math.max(active - 10, 0),
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      setActive(move());
      return;
    }
    const row = rows[active];
    if (event.key === 'Enter' && onOpen && row !== undefined) {
      event.preventDefault();
      onOpen(row);
    }
  };

  const showSkeleton = loading && rows.length === 0;
  const showEmpty = !loading && rows.length === 0;

  const table = (
    <Table
      stickyHeader
      stickyHeaderOffset={maxHeight === undefined ? 'var(--app-shell-header-height, 0px)' : 0}
      verticalSpacing={6}
      horizontalSpacing="sm"
      fz="sm"
      highlightOnHover={Boolean(onOpen)}
      aria-label={label}
      style={{ opacity: loading && rows.length > 0 ? 0.6 : 1, transition: 'opacity 120ms' }}
    >
      <Table.Thead>
        <Table.Tr>
          {columns.map((column) => (
            <Table.Th key={column.key} ta={column.align} w={column.width} fz="xs" tt="uppercase" c="dimmed" fw={600}>
              {column.header}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody ref={bodyRef}>
        {showSkeleton
          ? Array.from({ length: SKELETON_ROWS }, (_, i) => (
              <Table.Tr key={`skeleton-${i}`}>
                {columns.map((column) => (
                  <Table.Td key={column.key}>
                    <Skeleton height={12} radius="sm" />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))
          : rows.map((row, index) => (
              <Table.Tr
                key={keyOf(row)}
                aria-selected={index === active}
                onClick={() => {
                  setActive(index);
                  onOpen?.(row);
                }}
                style={{
                  cursor: onOpen ? 'pointer' : undefined,
                  background: index === active ? 'var(--mantine-primary-color-light)' : undefined,
                  boxShadow: index === active ? 'inset 3px 0 0 var(--mantine-primary-color-filled)' : undefined,
                }}
              >
                {columns.map((column) => (
                  <Table.Td key={column.key} ta={column.align} w={column.width}>
                    {column.render ? column.render(row) : String((row as Record<string, unknown>)[column.key] ?? '')}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
      </Table.Tbody>
    </Table>
  );

  return (
    <Box>
      <Box
        tabIndex={0}
        role="region"
        aria-label={label ? `${label} (use arrow keys to move, Enter to open)` : 'Table: arrow keys move, Enter opens'}
        onKeyDown={onKeyDown}
        // A click focuses the region too: that click picks its own row, and jumping to the first
        // one first would scroll a long table away from under the pointer and lose the click.
        onPointerDown={() => {
          pointerFocus.current = true;
        }}
        onFocus={() => {
          if (active < 0 && rows.length > 0 && !pointerFocus.current) setActive(0);
          pointerFocus.current = false;
        }}
        className="plug1-datatable"
        style={maxHeight === undefined ? undefined : { maxHeight, overflowY: 'auto' }}
      >
        {table}
        {showEmpty ? (empty ?? <Text c="dimmed" size="sm" ta="center" py="lg">Nothing to show.</Text>) : null}
      </Box>
      {totalLabel || footer ? (
        <Group justify="space-between" mt="xs" gap="sm">
          <Text size="xs" c="dimmed">
            {totalLabel}
          </Text>
          <Group gap="xs">{footer}</Group>
        </Group>
      ) : null}
    </Box>
  );
}
