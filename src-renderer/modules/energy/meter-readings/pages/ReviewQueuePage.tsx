import { Alert, Badge, Box, Button, Group, Paper, Stack, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconClockPause, IconPencil, IconRepeat } from '@tabler/icons-react';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Reading } from '../../../../../src-shared/contracts/energy/meter-readings';
import { approvalsList } from '../../../../../src-shared/contracts/kernel';
import { useRpcQuery, useSession } from '../../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, KeyboardHint, LoadMore, PageHeader, showingOf, type DataColumn } from '../../../../components';
import { FunctionTabs } from '../components/FunctionTabs';
import { ReadingFilterBar } from '../components/ReadingFilterBar';
import { ReviewDialog, reviewOutcome, type ReviewAction } from '../components/ReviewDialog';
import { SavedFilters } from '../components/SavedFilters';
import { readingColumns } from '../components/readingColumns';
import { countActiveFilters, useReadingFilters, type ReadingFilters } from '../filters';
import { FUNCTION_PATH, formatRegister } from '../labels';
import { useReadingPages } from '../useReadingPages';

const REVIEW_PRESET: ReadingFilters = { status: 'exception' };
const KEY_ACTIONS: Record<string, ReviewAction> = { a: 'accept', c: 'correct', r: 'reread' };

/**
 * The supervisor's queue: readings saved with VEE exceptions, each accepted (an approval-gated
 * override), corrected with a reason, or sent back for a re-read — from the keyboard with A / C / R.
 */
export function ReviewQueuePage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const mayReview = can('energy.meterReadings', 'edit');
  const { filters, query, setFilters, clearFilters } = useReadingFilters(REVIEW_PRESET);
  const { query: pages, rows, total } = useReadingPages(filters);
  const [dialog, setDialog] = useState<{ reading: Reading; action: ReviewAction } | null>(null);
  const tableRef = useRef<HTMLDivElement>(null);

  // Overrides already asked for: a second request for the same reading would only confuse the approver.
  const pendingApprovals = useRpcQuery(approvalsList, { box: 'all', status: 'pending', entity: 'meterReading' }, { enabled: mayReview });
  const pendingFor = useMemo(
    () => new Set((pendingApprovals.data ?? []).map((approval) => approval.entityId).filter((id) => id !== null)),
    [pendingApprovals.data],
  );

  const act = (reading: Reading, action: ReviewAction) => {
    if (action === 'accept' && pendingFor.has(reading.id)) {
      notifications.show({ color: 'yellow', message: `An override of meter ${reading.meterSerial} is already waiting for approval.` });
      return;
    }
    setDialog({ reading, action });
  };

  // DataTable owns the row cursor and marks the row with aria-selected; the shortcuts act on that row.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const action = KEY_ACTIONS[event.key.toLowerCase()];
    if (!action || !mayReview || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
    const body = tableRef.current?.querySelector('tbody');
    const selected = body?.querySelector(':scope > tr[aria-selected="true"]');
    if (!body || !selected) return;
    const reading = rows[Array.prototype.indexOf.call(body.children, selected)];
    if (!reading) return;
    event.preventDefault();
    act(reading, action);
  };

  const onReviewed = (reading: Reading) => {
    notifications.show({ color: reading.status === 'exception' ? 'orange' : 'green', message: reviewOutcome(reading) });
  };

  const actionsColumn: DataColumn<Reading> = {
    key: 'actions',
    header: 'Decide',
    align: 'right',
    width: 280,
    render: (reading) => (
      // Clicks on the buttons must not also open the row.
      <Group gap={4} justify="flex-end" wrap="nowrap" onClick={(event) => event.stopPropagation()}>
        {pendingFor.has(reading.id) ? (
          <Tooltip label="An override is waiting for a second supervisor's approval">
            <Button
              component={Link}
              to="/approvals?box=all"
              size="compact-xs"
              variant="light"
              color="yellow"
              leftSection={<IconClockPause size={12} />}
              aria-label={`Override of meter ${reading.meterSerial} is awaiting approval`}
            >
              Pending
            </Button>
          </Tooltip>
        ) : (
          <Button
            size="compact-xs"
            variant="light"
            color="green"
            leftSection={<IconCheck size={12} />}
            aria-label={`Accept reading of meter ${reading.meterSerial}`}
            onClick={() => act(reading, 'accept')}
          >
            Accept
          </Button>
        )}
        <Button
          size="compact-xs"
          variant="light"
          leftSection={<IconPencil size={12} />}
          aria-label={`Correct reading of meter ${reading.meterSerial}`}
          onClick={() => act(reading, 'correct')}
        >
          Correct
        </Button>
        <Button
          size="compact-xs"
          variant="light"
          color="yellow"
          leftSection={<IconRepeat size={12} />}
          aria-label={`Order a re-read of meter ${reading.meterSerial}`}
          onClick={() => act(reading, 'reread')}
        >
          Re-read
        </Button>
      </Group>
    ),
  };

  const columns: DataColumn<Reading>[] = [
    readingColumns.readDate,
    readingColumns.meter,
    readingColumns.route,
    { key: 'previous', header: 'Previous', align: 'right', width: 100, render: (r) => formatRegister(r.previousValue) },
    readingColumns.value,
    readingColumns.consumption,
    readingColumns.exceptions,
    readingColumns.reader,
    ...(mayReview ? [actionsColumn] : []),
  ];

  return (
    <Stack gap={0}>
      <PageHeader
        title="Review queue"
        subtitle="Readings saved with exceptions. Accept, correct or order a re-read; nothing here is billed until it is cleared."
        badge={total > 0 ? <Badge color="red" variant="light" size="lg">{total.toLocaleString()} waiting</Badge> : null}
      />
      <FunctionTabs />
      <Paper withBorder p="sm" mb="md">
        <ReadingFilterBar
          filters={filters}
          setFilters={setFilters}
          clearFilters={clearFilters}
          hide={['status']}
          trailing={
            <SavedFilters
              storageKey="plug1.energy.meterReadings.savedReviewFilters"
              basePath={`${FUNCTION_PATH}/review`}
              query={query}
            />
          }
        />
      </Paper>
      {pages.isError ? <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} /> : null}
      {!mayReview ? (
        <Alert color="gray" mb="sm" title="You can look, a supervisor decides">
          Accepting, correcting or ordering a re-read needs the “edit” permission on meter reading logging. Readers never clear their own exceptions.
        </Alert>
      ) : (
        <Group gap="lg" mb="xs">
          <KeyboardHint keys="↑" />
          <KeyboardHint keys="↓" label="move" />
          <KeyboardHint keys="Enter" label="open" />
          <KeyboardHint keys="A" label="accept" />
          <KeyboardHint keys="C" label="correct" />
          <KeyboardHint keys="R" label="re-read" />
        </Group>
      )}
      <Box ref={tableRef} onKeyDown={onKeyDown}>
        <DataTable
          label="Readings waiting for review"
          rows={rows}
          columns={columns}
          rowKey="id"
          onOpen={(reading) => navigate(`${FUNCTION_PATH}/${reading.id}`)}
          loading={pages.isFetching && !pages.isFetchingNextPage}
          empty={
            countActiveFilters(filters, ['status']) > 0 ? (
              <EmptyState
                title="No exceptions match these filters"
                description="Clear a filter to see the whole queue."
                action={
                  <Button variant="light" onClick={clearFilters}>
                    Clear filters
                  </Button>
                }
              />
            ) : (
              <EmptyState title="Nothing to review" description="Every reading has passed validation or been cleared. New exceptions appear here as readers save them." />
            )
          }
          totalLabel={total > 0 ? `${showingOf(rows.length, total, 'reading')} with exceptions` : null}
          footer={
            <LoadMore query={pages} />
          }
        />
      </Box>
      <ReviewDialog reading={dialog?.reading ?? null} action={dialog?.action ?? null} onClose={() => setDialog(null)} onReviewed={onReviewed} />
    </Stack>
  );
}
