import { Button, Group, Paper, Select, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import { useRpcMutation, useRpcQuery } from '../../../api/hooks';
import { EmptyState, ErrorAlert, JobProgress, PageHeader } from '../../../components';
import { formatAmount } from './printing';

/**
 * The daily / weekly / monthly report screen shared by billing, collections and prepaid: filters
 * in the URL (so a drilldown is a link), a table with totals, and the Excel export as a job.
 */
export interface ReportColumn {
  key: string;
  header: string;
  money?: boolean;
}

/** The last 30 days, read once when the screen opens. */
function defaultRange() {
  const now = new Date();
  return { today: now.toISOString().slice(0, 10), monthAgo: new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10) };
}

export function ReportScreen({
  title,
  report,
  exportContract,
  groups,
  columns,
  defaultPeriod = 'day',
}: {
  title: string;
  report: ProcedureContract;
  exportContract: ProcedureContract;
  groups: readonly string[];
  columns: ReportColumn[];
  defaultPeriod?: 'day' | 'week' | 'month';
}) {
  const [params, setParams] = useSearchParams();
  const [{ today, monthAgo }] = useState(defaultRange);
  const input = {
    period: params.get('period') ?? defaultPeriod,
    from: params.get('from') ?? monthAgo,
    to: params.get('to') ?? today,
    groupBy: params.get('groupBy') ?? 'period',
  };
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const data = useRpcQuery(report, input as never, { keepPrevious: true });
  const exporter = useRpcMutation(exportContract);
  const [jobId, setJobId] = useState<string | null>(null);
  const result = data.data as { rows: Record<string, number | string>[]; totals: Record<string, number | string> } | undefined;
  const cell = (row: Record<string, number | string>, c: ReportColumn) => (c.money ? formatAmount(Number(row[c.key])) : typeof row[c.key] === 'number' ? Number(row[c.key]).toLocaleString('en-US') : row[c.key]);
  return (
    <>
      <PageHeader
        title={title}
        actions={
          <Button onClick={() => exporter.mutate({ input: { ...input, format: 'xlsx' } as never }, { onSuccess: (r) => setJobId((r as { jobId: string }).jobId) })} loading={exporter.isPending}>
            Export to Excel
          </Button>
        }
      />
      <Paper withBorder p="md" mb="md">
        <Group>
          <Select label="Period" data={['day', 'week', 'month']} value={input.period} onChange={(v) => set('period', v)} allowDeselect={false} />
          <TextInput label="From" type="date" value={input.from} onChange={(e) => set('from', e.currentTarget.value)} />
          <TextInput label="To" type="date" value={input.to} onChange={(e) => set('to', e.currentTarget.value)} />
          <Select label="Group by" data={[...groups]} value={input.groupBy} onChange={(v) => set('groupBy', v)} allowDeselect={false} />
        </Group>
      </Paper>
      {jobId ? <JobProgress jobId={jobId} /> : null}
      {data.error ? <ErrorAlert error={data.error} /> : null}
      {result && result.rows.length === 0 ? <EmptyState title="Nothing in this range" description="Widen the dates or pick another grouping." /> : null}
      {result && result.rows.length > 0 ? (
        <Paper withBorder>
          <Table striped aria-label={title}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{input.groupBy === 'period' ? 'Period' : input.groupBy}</Table.Th>
                {columns.map((c) => (
                  <Table.Th key={c.key} ta="right">
                    {c.header}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.rows.map((row) => (
                <Table.Tr key={String(row.key)}>
                  <Table.Td>{row.label}</Table.Td>
                  {columns.map((c) => (
                    <Table.Td key={c.key} ta="right">
                      {cell(row, c)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
              <Table.Tr fw={700}>
                <Table.Td>Total</Table.Td>
                {columns.map((c) => (
                  <Table.Td key={c.key} ta="right">
                    {cell(result.totals, c)}
                  </Table.Td>
                ))}
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Paper>
      ) : null}
    </>
  );
}
