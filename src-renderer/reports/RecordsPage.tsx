import { Anchor, Button, Group, Paper, Pill, Stack, Text } from '@mantine/core';
import { IconArrowLeft, IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { reportsRecords, reportsRun, type ReportInfo } from '../../src-shared/contracts/reports';
import { useRpcQuery } from '../api/hooks';
import { DataTable, DateText, EmptyState, ErrorAlert, PageHeader, formatMoney, type DataColumn } from '../components';
import { functionLabel } from '../components/labels';
import { formatDay, presetRange } from './dates';
import { paramsFromSearch, reportPath } from './params';
import { useReportingCatalogue, type Calendar } from './useReporting';

type RecordRow = { id: string; link: string | null; values: Record<string, string | number | null> };
const PAGE = 50;

/** `/reports/:reportKey/records`: the records behind a report row, each opening its own screen. */
export function RecordsPage() {
  const { reportKey } = useParams();
  const catalogue = useReportingCatalogue();
  const report = catalogue.report(reportKey);
  if (catalogue.query.isError) return <ErrorAlert error={catalogue.query.error} onRetry={() => void catalogue.query.refetch()} />;
  if (!catalogue.calendar) return null;
  if (!report) {
    return (
      <Paper withBorder>
        <EmptyState title="This report is not available to you" description="Its function is not in your role." />
      </Paper>
    );
  }
  return <Records report={report} calendar={catalogue.calendar} />;
}

function Records({ report, calendar }: { report: ReportInfo; calendar: Calendar }) {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const params = useMemo(() => paramsFromSearch(search, presetRange('thisMonth', calendar.today, calendar.weekStart)), [search, calendar]);
  const scopeKey = search.toString();
  // Keyset pages: the cursors of the pages visited so far, reset whenever the scope changes.
  const [paging, setPaging] = useState<{ scope: string; cursors: (string | undefined)[] }>({ scope: scopeKey, cursors: [undefined] });
  const cursors = paging.scope === scopeKey ? paging.cursors : [undefined];
  const cursor = cursors.at(-1);
  const page = useRpcQuery(
    reportsRecords,
    { report: report.key, from: params.from, to: params.to, filters: params.filters, limit: PAGE, ...(cursor ? { cursor } : {}) },
    { keepPrevious: true },
  );
  // Names of the filters (the report answers them), for the heading.
  const summary = useRpcQuery(reportsRun, { report: report.key, from: params.from, to: params.to, filters: params.filters, groupBy: 'period', period: 'month' });

  const columns: DataColumn<RecordRow>[] = (page.data?.columns ?? []).map((c) => ({
    key: c.key,
    header: c.header,
    align: ['integer', 'decimal', 'money'].includes(c.kind) ? 'right' : undefined,
    render: (row) => {
      const v = row.values[c.key];
      if (v === null || v === undefined || v === '') return <Text size="sm" c="dimmed">—</Text>;
      switch (c.kind) {
        case 'date':
          return <Text size="sm">{formatDay(String(v))}</Text>;
        case 'datetime':
          return <DateText value={String(v)} format="datetime" size="sm" />;
        case 'money':
          return <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>{formatMoney(Number(v))}</Text>;
        case 'integer':
        case 'decimal':
          return <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>{Number(v).toLocaleString()}</Text>;
        default:
          return <Text size="sm">{String(v)}</Text>;
      }
    },
  }));

  const total = page.data?.total ?? 0;
  const first = (cursors.length - 1) * PAGE + 1;
  return (
    <Stack gap={0}>
      <PageHeader
        title={`${report.label}: ${report.recordLabel}s`}
        subtitle={`${params.from === params.to ? formatDay(params.from) : `${formatDay(params.from)} – ${formatDay(params.to)}`} · Enter or a click opens the ${report.recordLabel}.`}
        actions={
          <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={() => void navigate(-1)}>
            Back to the report
          </Button>
        }
      />
      {summary.data && summary.data.filterLabels.length > 0 ? (
        <Group gap="xs" mb="sm">
          {summary.data.filterLabels.map((f) => (
            <Pill key={f.dimension}>
              {f.label}: {f.value}
            </Pill>
          ))}
        </Group>
      ) : null}
      {page.isError ? <ErrorAlert error={page.error} onRetry={() => void page.refetch()} /> : null}
      <DataTable
        label={`${report.recordLabel}s`}
        rows={page.data?.rows ?? []}
        columns={columns}
        rowKey="id"
        onOpen={(row) => row.link && void navigate(row.link)}
        loading={page.isFetching}
        empty={<EmptyState title={`No ${report.recordLabel}s here`} description="The report row had none; go back and pick another." />}
        totalLabel={total > 0 ? `${first.toLocaleString()}–${(first + (page.data?.rows.length ?? 0) - 1).toLocaleString()} of ${total.toLocaleString()}` : null}
        footer={
          <>
            {summary.data?.listLink ? (
              <Anchor component={Link} to={summary.data.listLink} size="sm">
                Open in {functionLabel(report.functionKey)}
              </Anchor>
            ) : null}
            <Anchor component={Link} to={reportPath(report.key, params)} size="sm">
              Report
            </Anchor>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconChevronLeft size={14} />}
              disabled={cursors.length <= 1}
              onClick={() => setPaging({ scope: scopeKey, cursors: cursors.slice(0, -1) })}
            >
              Previous
            </Button>
            <Button
              size="xs"
              variant="default"
              rightSection={<IconChevronRight size={14} />}
              disabled={!page.data?.nextCursor}
              onClick={() => setPaging({ scope: scopeKey, cursors: [...cursors, page.data!.nextCursor!] })}
            >
              Next
            </Button>
          </>
        }
      />
    </Stack>
  );
}
