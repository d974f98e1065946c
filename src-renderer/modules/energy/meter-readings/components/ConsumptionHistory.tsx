import { BarChart } from '@mantine/charts';
import { Badge, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { Reading } from '../../../../../src-shared/contracts/energy/meter-readings';
import { DataTable, EmptyState, type DataColumn } from '../../../../components';
import { formatLocalDate, formatUnits } from '../labels';
import { readingColumns } from './readingColumns';

type Kind = 'read' | 'estimated' | 'exception' | 'setAside';

/** One bar per reading, coloured by what kind of read it is; stacked series give each kind a legend entry. */
const SERIES: { name: Kind; label: string; color: string }[] = [
  { name: 'read', label: 'Read', color: 'blue.6' },
  { name: 'estimated', label: 'Estimated', color: 'grape.4' },
  { name: 'exception', label: 'Exception', color: 'red.6' },
  { name: 'setAside', label: 'Re-read ordered', color: 'gray.5' },
];

const kindOf = (reading: Reading): Kind =>
  reading.status === 'exception'
    ? 'exception'
    : reading.status === 'reread'
      ? 'setAside'
      : reading.readType === 'estimated'
        ? 'estimated'
        : 'read';

interface ConsumptionHistoryProps {
  /** The meter's readings, newest first (as the server sends them). */
  history: Reading[];
  /** The reading the page is about, marked in the table. */
  currentId?: string;
  onOpen(reading: Reading): void;
}

/**
 * Consumption per read as a chart, and the same figures as a table: the chart shows the shape, the
 * table is what a screen reader, a keyboard user or an auditor checking numbers needs.
 */
export function ConsumptionHistory({ history, currentId, onOpen }: ConsumptionHistoryProps) {
  const [view, setView] = useState<'chart' | 'table'>('chart');

  const chartData = useMemo(
    () =>
      [...history].reverse().map((reading) => ({
        date: formatLocalDate(reading.readDate),
        [kindOf(reading)]: reading.consumption,
      })),
    [history],
  );

  // The billed average: exceptions and set-aside reads would distort the baseline the eye compares with.
  const average = useMemo(() => {
    const billed = history.filter((r) => r.status === 'posted');
    return billed.length ? billed.reduce((sum, r) => sum + r.consumption, 0) / billed.length : null;
  }, [history]);

  const columns: DataColumn<Reading>[] = [
    readingColumns.readDate,
    readingColumns.value,
    readingColumns.consumption,
    readingColumns.readType,
    readingColumns.status,
    readingColumns.reader,
    {
      key: 'current',
      header: '',
      render: (r) =>
        r.id === currentId ? (
          <Badge size="xs" variant="outline">
            This reading
          </Badge>
        ) : null,
    },
  ];

  if (history.length === 0) {
    return <EmptyState title="No readings yet" description="This meter has no readings on record." />;
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {history.length} readings{average !== null ? ` · average ${formatUnits(average)} units per posted read` : ''}
        </Text>
        <SegmentedControl
          size="xs"
          aria-label="Show history as"
          value={view}
          onChange={(value) => setView(value as 'chart' | 'table')}
          data={[
            { value: 'chart', label: 'Chart' },
            { value: 'table', label: 'Table' },
          ]}
        />
      </Group>
      {view === 'chart' ? (
        <BarChart
          h={280}
          data={chartData}
          dataKey="date"
          type="stacked"
          series={SERIES}
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
          valueFormatter={formatUnits}
          yAxisLabel="Units"
          maxBarWidth={36}
          referenceLines={average !== null ? [{ y: average, color: 'teal.6', label: 'Average', labelPosition: 'insideTopLeft' }] : []}
          aria-label="Consumption per reading"
        />
      ) : (
        <DataTable label="Readings of this meter" rows={history} columns={columns} rowKey="id" onOpen={onOpen} maxHeight={420} />
      )}
    </Stack>
  );
}
