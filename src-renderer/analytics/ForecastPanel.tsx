import { LineChart } from '@mantine/charts';
import { Badge, Grid, Group, Paper, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { IconArrowDownRight, IconArrowRight, IconArrowUpRight } from '@tabler/icons-react';
import { useState } from 'react';
import { FORECAST_HORIZONS, analyticsForecast } from '../../src-shared/contracts/analytics';
import type { KpiInfo } from '../../src-shared/contracts/reports';
import { useRpcQuery } from '../api/hooks';
import { ErrorAlert } from '../components';
import { formatShortDay } from '../reports/dates';
import { axisProps, formatMeasure } from '../reports/format';
import { ChartOrTable } from './ChartOrTable';

type Horizon = (typeof FORECAST_HORIZONS)[number];

const METHOD_LABELS = {
  'holt-winters': 'Holt-Winters (level, trend and weekly season)',
  'seasonal-naive': 'Same days of last week (too little history for more)',
  mean: 'Average so far (too little history for more)',
  none: 'No history yet',
} as const;

/** How far to trust a forecast, in words beside its MAPE. */
function trustWord(mape: number | null): { label: string; color: string } {
  if (mape === null) return { label: 'not measurable yet', color: 'gray' };
  if (mape <= 10) return { label: 'close', color: 'teal' };
  if (mape <= 25) return { label: 'rough', color: 'yellow' };
  return { label: 'loose: treat as a hint', color: 'red' };
}

/** Next period's forecast with its interval, the backtest error beside it, and the up/down/flat signal. */
export function ForecastPanel({ kpi }: { kpi: KpiInfo }) {
  const [horizon, setHorizon] = useState<Horizon>(7);
  const result = useRpcQuery(analyticsForecast, { kpi: kpi.key, horizon }, { keepPrevious: true });
  const fmt = (v: number | null | undefined) => formatMeasure(v, kpi.unit, Math.max(kpi.decimals, 0));
  const data = result.data;
  const trust = trustWord(data?.mape ?? null);
  const SignalIcon = data?.signal === 'up' ? IconArrowUpRight : data?.signal === 'down' ? IconArrowDownRight : IconArrowRight;
  const signalColor =
    data?.signal === 'flat' ? 'gray' : (data?.signal === 'up') === (kpi.goodDirection === 'up') ? 'teal' : 'red';
  const chartRows = data
    ? [
        ...data.history.map((h) => ({ date: h.date, actual: h.value, forecast: null as number | null, lower: null as number | null, upper: null as number | null })),
        ...data.points.map((p) => ({ date: p.date, actual: null, forecast: p.value, lower: p.lower, upper: p.upper })),
      ]
    : [];
  return (
    <Paper withBorder p="md">
      {result.isError ? <ErrorAlert error={result.error} onRetry={() => void result.refetch()} /> : null}
      <Group mb="md">
        <SegmentedControl
          aria-label="Forecast horizon"
          value={String(horizon)}
          onChange={(v) => setHorizon(Number(v) as Horizon)}
          data={FORECAST_HORIZONS.map((h) => ({ value: String(h), label: `Next ${h} days` }))}
        />
      </Group>
      {!data ? (
        <Skeleton h={300} />
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 9 }}>
            <ChartOrTable
              title={`${kpi.label}: the last weeks and the next ${horizon} days`}
              rows={chartRows}
              rowKey={(r) => r.date}
              columns={[
                { key: 'date', header: 'Day', render: (r) => r.date },
                { key: 'actual', header: 'Actual', align: 'right', render: (r) => (r.actual === null ? '' : fmt(r.actual)) },
                { key: 'forecast', header: 'Forecast', align: 'right', render: (r) => (r.forecast === null ? '' : fmt(r.forecast)) },
                { key: 'range', header: `${Math.round(data.confidence * 100)}% interval`, align: 'right', render: (r) => (r.lower === null ? '' : `${fmt(r.lower)} – ${fmt(r.upper)}`) },
              ]}
              chart={
                <LineChart
                  h={300}
                  data={chartRows.map((r) => ({ ...r, day: formatShortDay(r.date) }))}
                  dataKey="day"
                  series={[
                    { name: 'actual', label: 'Actual', color: 'blue.6' },
                    { name: 'forecast', label: 'Forecast', color: 'violet.6' },
                    { name: 'upper', label: 'Upper bound', color: 'violet.2', strokeDasharray: '4 4' },
                    { name: 'lower', label: 'Lower bound', color: 'violet.2', strokeDasharray: '4 4' },
                  ]}
                  withDots={false}
                  withLegend
                  valueFormatter={(v) => fmt(v)}
              yAxisProps={axisProps(kpi.unit)}
                  aria-label={`${kpi.label} forecast chart; switch to Table for the figures`}
                />
              }
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 3 }}>
            <Stack gap="md">
              <div>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  Next {horizon} days
                </Text>
                <Text fz={24} fw={700} aria-label="Forecast for the next period">
                  {fmt(data.nextPeriod.value)}
                </Text>
                <Text size="xs" c="dimmed">
                  {Math.round(data.confidence * 100)}% interval {fmt(data.nextPeriod.lower)} – {fmt(data.nextPeriod.upper)}
                </Text>
              </div>
              <div>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  Signal
                </Text>
                <Badge size="lg" color={signalColor} leftSection={<SignalIcon size={14} />} tt="none" aria-label={`Signal ${data.signal}`}>
                  {data.signal === 'flat' ? 'Flat' : data.signal === 'up' ? 'Up' : 'Down'}
                </Badge>
                <Text size="xs" c="dimmed" mt={4}>
                  The last {horizon} days: {fmt(data.lastPeriod.value)}.{' '}
                  {data.signal === 'flat' ? 'Within the interval: no change to expect.' : `Outside the interval: expect ${data.signal === 'up' ? 'more' : 'less'}.`}
                </Text>
              </div>
              <div>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  Backtest error (MAPE)
                </Text>
                <Group gap={6}>
                  <Text fz={20} fw={700} aria-label="Backtest MAPE">
                    {data.mape === null ? '—' : `${data.mape}%`}
                  </Text>
                  <Badge color={trust.color} variant="light" tt="none">
                    {trust.label}
                  </Badge>
                </Group>
                <Text size="xs" c="dimmed">
                  Average miss when the model forecast each of the last {data.backtestPeriods} periods from the history before it.
                </Text>
              </div>
              <Text size="xs" c="dimmed">
                {METHOD_LABELS[data.method]}
                {data.params ? ` · α ${data.params.alpha}, β ${data.params.beta}, γ ${data.params.gamma}` : ''}
              </Text>
            </Stack>
          </Grid.Col>
        </Grid>
      )}
    </Paper>
  );
}
