import { Group, SegmentedControl, Table, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';

export interface TableColumn<T> {
  key: string;
  header: string;
  render(row: T): ReactNode;
  align?: 'left' | 'right';
}

/** Every chart has its table: the same figures for screen readers, exact values and copy-paste. */
export function ChartOrTable<T>({
  title,
  chart,
  rows,
  columns,
  rowKey,
  extra,
}: {
  title: ReactNode;
  chart: ReactNode;
  rows: readonly T[];
  columns: readonly TableColumn<T>[];
  rowKey(row: T): string;
  extra?: ReactNode;
}) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  return (
    <>
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Text fw={600} size="sm">
          {title}
        </Text>
        <Group gap="sm">
          {extra}
          <SegmentedControl
            size="xs"
            aria-label="Show as"
            value={view}
            onChange={(v) => setView(v as 'chart' | 'table')}
            data={[
              { value: 'chart', label: 'Chart' },
              { value: 'table', label: 'Table' },
            ]}
          />
        </Group>
      </Group>
      {view === 'chart' ? (
        chart
      ) : (
        <Table.ScrollContainer minWidth={500} maxHeight={420}>
          <Table striped stickyHeader fz="sm" aria-label={typeof title === 'string' ? title : 'Chart figures'}>
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => (
                  <Table.Th key={c.key} ta={c.align}>
                    {c.header}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={rowKey(row)}>
                  {columns.map((c) => (
                    <Table.Td key={c.key} ta={c.align} style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {c.render(row)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
