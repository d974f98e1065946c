import { MatrixChart } from '@mantine/charts';
import { Group, Paper, SegmentedControl, Select, Skeleton, Text } from '@mantine/core';
import { useState } from 'react';
import { HEATMAP_VIEWS, analyticsHeatmap } from '../../src-shared/contracts/analytics';
import type { ModuleKey } from '../../src-shared/contracts/reports';
import { useRpcQuery } from '../api/hooks';
import { ErrorAlert } from '../components';
import { addDays } from '../reports/dates';
import { ChartOrTable } from './ChartOrTable';

type View = (typeof HEATMAP_VIEWS)[number];
type Axis = { key: string; label: string };
const VIEW_LABELS: Record<View, string> = { functionWeekday: 'Function × weekday', weekdayHour: 'Weekday × hour', branchCategory: 'Branch × category' };
const SPANS = [30, 90, 365] as const;

/** Where exceptions concentrate, in the branch's time zone: which function, which day, which hour. */
export function HeatmapPanel({ module, today, functions }: { module: ModuleKey; today: string; functions: { key: string; label: string }[] }) {
  const [view, setView] = useState<View>('functionWeekday');
  const [days, setDays] = useState<(typeof SPANS)[number]>(90);
  const [functionKey, setFunctionKey] = useState<string | null>(null);
  const heat = useRpcQuery(
    analyticsHeatmap,
    { module, view, from: addDays(today, -(days - 1)), to: today, ...(view === 'weekdayHour' && functionKey ? { functionKey } : {}) },
    { keepPrevious: true },
  );
  const data = heat.data;
  const xLabel = new Map(data?.x.map((x) => [x.key, x.label]));
  const yLabel = new Map(data?.y.map((y) => [y.key, y.label]));
  const count = (x: string, y: string) => data?.cells.find((c) => c.x === x && c.y === y)?.count ?? 0;
  return (
    <Paper withBorder p="md">
      {heat.isError ? <ErrorAlert error={heat.error} onRetry={() => void heat.refetch()} /> : null}
      <Group mb="md" gap="md" wrap="wrap" align="flex-end">
        <SegmentedControl aria-label="Heatmap view" value={view} onChange={(v) => setView(v as View)} data={HEATMAP_VIEWS.map((v) => ({ value: v, label: VIEW_LABELS[v] }))} />
        <SegmentedControl aria-label="Heatmap range" value={String(days)} onChange={(v) => setDays(Number(v) as (typeof SPANS)[number])} data={SPANS.map((d) => ({ value: String(d), label: `${d} days` }))} />
        {view === 'weekdayHour' ? (
          <Select aria-label="Function" placeholder="All functions" data={functions.map((f) => ({ value: f.key, label: f.label }))} value={functionKey} onChange={setFunctionKey} clearable w={240} />
        ) : null}
      </Group>
      {!data ? (
        <Skeleton h={260} />
      ) : data.total === 0 ? (
        <Text size="sm" c="dimmed">
          No exceptions were raised in the last {days} days by the functions you can see.
        </Text>
      ) : (
        <ChartOrTable
          title={`${data.total.toLocaleString()} exceptions by ${data.yLabel.toLowerCase()} and ${data.xLabel.toLowerCase()}`}
          rows={data.y}
          rowKey={(y) => y.key}
          columns={[
            { key: 'y', header: data.yLabel, render: (y: Axis) => y.label },
            ...data.x.map((x) => ({ key: x.key, header: x.label, align: 'right' as const, render: (y: Axis) => count(x.key, y.key) || '' })),
            { key: 'total', header: 'Total', align: 'right' as const, render: (y: Axis) => data.rowTotals[y.key] ?? 0 },
          ]}
          chart={
            <MatrixChart
              // Zero cells are empty (grey), not the palest red: a cell with nothing in it must not look like one with a few.
              data={data.cells.map((c) => ({ x: xLabel.get(c.x) ?? c.x, y: yLabel.get(c.y) ?? c.y, value: c.count || null }))}
              domain={[1, Math.max(1, data.max)]}
              emptyColor="gray.1"
              xLabels={data.x.map((x) => x.label)}
              yLabels={data.y.map((y) => y.label)}
              withXLabels
              withYLabels
              withTooltip
              withLegend
              getTooltipLabel={(c) => `${c.y}, ${c.x}: ${c.value ?? 0}`}
              cellSize={view === 'weekdayHour' ? 22 : 34}
              yLabelsWidth={view === 'functionWeekday' ? 220 : 90}
              xLabelsHeight={view === 'branchCategory' ? 140 : 50}
              xLabelsRotation={view === 'branchCategory' ? -60 : 0}
              colors={['red.1', 'red.3', 'red.5', 'red.7']}
              aria-label="Exception heatmap; switch to Table for the counts"
            />
          }
        />
      )}
    </Paper>
  );
}
