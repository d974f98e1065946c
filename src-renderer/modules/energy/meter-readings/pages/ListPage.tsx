import { Badge, Button, Group, Paper, Stack } from '@mantine/core';
import { IconClipboardCheck, IconDownload, IconWalk } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Reading } from '../../../../../src-shared/contracts/energy/meter-readings';
import { useSession } from '../../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, LoadMore, PageHeader, pluralize, showingOf } from '../../../../components';
import { ExportDialog } from '../components/ExportDialog';
import { FunctionTabs } from '../components/FunctionTabs';
import { ReadingFilterBar } from '../components/ReadingFilterBar';
import { SavedFilters } from '../components/SavedFilters';
import { readingColumns } from '../components/readingColumns';
import { countActiveFilters, readingsListPath, useReadingFilters } from '../filters';
import { FUNCTION_PATH, formatUnits } from '../labels';
import { useToday } from '../options';
import { useReadingPages } from '../useReadingPages';

const columns = [
  readingColumns.readDate,
  readingColumns.meter,
  readingColumns.route,
  readingColumns.value,
  readingColumns.consumption,
  readingColumns.readType,
  readingColumns.status,
  readingColumns.reader,
];

/** Every reading of the branch, newest first; the filters are the URL, so any view is a link. */
export function ListPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const today = useToday();
  const { filters, query, setFilters, clearFilters } = useReadingFilters();
  const { query: pages, rows, total, totals } = useReadingPages(filters);
  const [exporting, setExporting] = useState(false);
  const filtered = countActiveFilters(filters) > 0;

  const open = (reading: Reading) => navigate(`${FUNCTION_PATH}/${reading.id}`);

  return (
    <Stack gap={0}>
      <PageHeader
        title="Meter readings"
        subtitle="Every reading of the branch, newest first. Filters stay in the address, so a filtered view can be bookmarked or shared."
        actions={
          <>
            {can('energy.meterReadings', 'edit') ? (
              <Button
                variant="default"
                component={Link}
                to={readingsListPath({ routeId: filters.routeId }, `${FUNCTION_PATH}/review`)}
                leftSection={<IconClipboardCheck size={16} />}
              >
                Review exceptions
              </Button>
            ) : null}
            {can('energy.meterReadings', 'export') ? (
              <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => setExporting(true)}>
                Export
              </Button>
            ) : null}
            {can('energy.meterReadings', 'create') ? (
              <Button component={Link} to={`${FUNCTION_PATH}/entry`} leftSection={<IconWalk size={16} />}>
                Enter readings
              </Button>
            ) : null}
          </>
        }
      />
      <FunctionTabs />
      <Paper withBorder p="sm" mb="md">
        <ReadingFilterBar
          filters={filters}
          setFilters={setFilters}
          clearFilters={clearFilters}
          trailing={
            <SavedFilters
              storageKey="plug1.energy.meterReadings.savedFilters"
              basePath={FUNCTION_PATH}
              query={query}
            />
          }
        />
      </Paper>
      {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
      <DataTable
        label="Meter readings"
        rows={rows}
        columns={columns}
        rowKey="id"
        onOpen={open}
        loading={pages.isFetching && !pages.isFetchingNextPage}
        empty={
          filtered ? (
            <EmptyState
              title="No readings match these filters"
              description="Widen the date range or clear a filter."
              action={
                <Button variant="light" onClick={clearFilters}>
                  Clear filters
                </Button>
              }
            />
          ) : (
            <EmptyState
              title="No readings yet"
              description="Readings appear here as readers walk their routes, or when a handheld export is imported."
              action={
                can('energy.meterReadings', 'create') ? (
                  <Button component={Link} to={`${FUNCTION_PATH}/entry`}>
                    Enter readings
                  </Button>
                ) : undefined
              }
            />
          )
        }
        totalLabel={
          total > 0 ? (
            <Group gap="xs" component="span">
              <span>
                {showingOf(rows.length, total, 'reading')} · {formatUnits(totals.consumption)} units consumed
              </span>
              {totals.exceptions > 0 ? (
                <Badge
                  size="sm"
                  variant="light"
                  color="red"
                  component={Link}
                  to={readingsListPath({ ...filters, status: 'exception' })}
                  style={{ cursor: 'pointer' }}
                >
                  {pluralize(totals.exceptions, 'exception')}
                </Badge>
              ) : null}
            </Group>
          ) : null
        }
        footer={
          <LoadMore query={pages} />
        }
      />
      <ExportDialog
        opened={exporting}
        onClose={() => setExporting(false)}
        scope={{
          period: 'day',
          groupBy: 'period',
          from: filters.from ?? dayjs(today).startOf('month').format('YYYY-MM-DD'),
          to: filters.to ?? today,
          ...(filters.routeId ? { routeId: filters.routeId } : {}),
          ...(filters.readerId ? { readerId: filters.readerId } : {}),
          ...(filters.category ? { category: filters.category } : {}),
        }}
        note={
          filters.status || filters.exception || filters.readType || filters.search || filters.meterId || filters.accountId
            ? 'Exports cover the dates, route, reader and category; the status, exception, read type and search filters are not applied.'
            : undefined
        }
      />
    </Stack>
  );
}
