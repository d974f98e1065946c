import { Button, Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconArrowRight, IconListDetails } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { PERIOD_GROUP, type ReportInfo, type ReportResult, type ReportRow } from '../../src-shared/contracts/reports';
import { formatMeasure } from './format';
import { recordsPath, reportPath, type ReportParams } from './params';

export const TOTAL_KEY = '__total__';

/** The scope one report row stands for: the report's own plus the row's period or dimension value. */
export function rowScope(params: ReportParams, row: ReportRow): Pick<ReportParams, 'from' | 'to' | 'filters'> {
  if (row.key === TOTAL_KEY) return { from: params.from, to: params.to, filters: params.filters };
  if (params.groupBy === PERIOD_GROUP) return { from: row.from ?? params.from, to: row.to ?? params.to, filters: params.filters };
  return { from: params.from, to: params.to, filters: { ...params.filters, [params.groupBy]: row.key } };
}

interface Props {
  report: ReportInfo;
  result: ReportResult;
  params: ReportParams;
  row: ReportRow | null;
  onClose(): void;
}

/**
 * What a click (or Enter) on a report row offers: split that row by any other drilldown, or open
 * the records behind it. Each choice is a new URL, so Back returns to the level above.
 */
export function DrillDialog({ report, result, params, row, onClose }: Props) {
  const navigate = useNavigate();
  if (!row) return <Modal opened={false} onClose={onClose} title="" />;
  const scope = rowScope(params, row);
  const used = new Set(Object.keys(scope.filters));
  const choices = [
    ...(params.groupBy !== PERIOD_GROUP || row.key === TOTAL_KEY ? [{ key: PERIOD_GROUP, label: 'Day' }] : []),
    ...report.dimensions.filter((d) => d.key !== params.groupBy && !used.has(d.key)),
  ];
  const count = row.values[report.measures.find((m) => m.kind === 'sum' && m.unit === 'count')?.key ?? ''] ?? null;
  const go = (path: string) => {
    onClose();
    void navigate(path);
  };
  const name = row.key === TOTAL_KEY ? 'the whole report' : `“${row.label}”`;
  return (
    <Modal opened onClose={onClose} title={`Drill into ${name}`} size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          {scope.from === scope.to ? scope.from : `${scope.from} to ${scope.to}`}
          {result.filterLabels.length ? ` · ${result.filterLabels.map((f) => `${f.label}: ${f.value}`).join(' · ')}` : ''}
          {params.groupBy !== PERIOD_GROUP && row.key !== TOTAL_KEY ? ` · ${result.groupLabel}: ${row.label}` : ''}
        </Text>
        <Text fw={600} size="sm">
          Break down by
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          {choices.map((choice, i) => (
            <Button
              key={choice.key}
              variant="light"
              justify="space-between"
              rightSection={<IconArrowRight size={14} />}
              data-autofocus={i === 0 ? true : undefined}
              onClick={() => go(reportPath(report.key, { ...scope, period: params.period, groupBy: choice.key, measure: params.measure }))}
            >
              {choice.label}
            </Button>
          ))}
        </SimpleGrid>
        <Group justify="space-between" mt="xs">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button leftSection={<IconListDetails size={16} />} onClick={() => go(recordsPath(report.key, scope))}>
            Show the {count !== null ? formatMeasure(count, 'count') : ''} {report.recordLabel}s
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
