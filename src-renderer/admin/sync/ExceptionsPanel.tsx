import { Alert, Badge, Button, Checkbox, Group, Modal, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { syncExceptions, syncResolveException, type SyncException } from '../../../src-shared/contracts/sync';
import { useZodForm } from '../../api/forms';
import { useRpcMutation, useRpcQuery, useSession } from '../../api/hooks';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { DateText } from '../../components/DateText';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StatusBadge } from '../../components/StatusBadge';
import { ValueView } from '../../components/ValueView';

const STATUSES = ['open', 'resolved', 'all'] as const;
type StatusFilter = (typeof STATUSES)[number];

const columns: DataColumn<SyncException>[] = [
  {
    key: 'kind',
    header: 'Problem',
    render: (e) => (
      <div>
        <Text size="sm" fw={500}>
          {e.kindLabel}
        </Text>
        <Text size="xs" c="dimmed" lineClamp={2}>
          {e.message}
        </Text>
      </div>
    ),
  },
  { key: 'seq', header: 'Event', width: 80, align: 'right', render: (e) => (e.seq === null ? '—' : e.seq) },
  { key: 'source', header: 'Found by', width: 130, render: (e) => <Badge variant="default" size="sm">{e.source === 'hq' ? 'HQ' : 'This branch'}</Badge> },
  {
    key: 'lastSeenAt',
    header: 'Last seen',
    width: 190,
    render: (e) => (
      <Text size="sm">
        <DateText value={e.lastSeenAt} />
        {e.occurrences > 1 ? <Text span size="xs" c="dimmed">{` · ${e.occurrences}×`}</Text> : null}
      </Text>
    ),
  },
  { key: 'status', header: 'Status', width: 100, render: (e) => <StatusBadge status={e.status} /> },
];

function ResolveForm({ exception, onClose }: { exception: SyncException; onClose(): void }) {
  const resolve = useRpcMutation(syncResolveException, { invalidate: ['sync.'] });
  const masterData = exception.kind === 'masterData.unapplied';
  const form = useZodForm(syncResolveException.input, { note: '', skipChange: false }, (v) => ({ id: exception.id, version: exception.version, ...v }));
  const submit = form.onSubmit((input) =>
    resolve.mutate(
      { input },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: 'Resolved: the next sync tries again.' });
          onClose();
        },
        onError: (error) => form.applyServerErrors(error),
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{exception.message}</Text>
        {exception.details ? <ValueView value={exception.details} /> : null}
        <Textarea label="What was done" description="Recorded in the journal with your name." autosize minRows={2} data-autofocus {...form.text('note')} />
        {masterData ? (
          <Checkbox
            label="Skip this master-data change for good (it does not apply to this branch)"
            description="Otherwise the change is tried again, e.g. after updating the app."
            checked={Boolean(form.values.skipChange)}
            onChange={(e) => form.setField('skipChange', e.currentTarget.checked)}
          />
        ) : null}
        {resolve.error && !form.errors.note ? <ErrorAlert error={resolve.error} /> : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={resolve.isPending}>
            Mark resolved
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The sync exceptions queue: what HQ refused or found, and what could not be applied here. */
export function ExceptionsPanel() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const status = (STATUSES as readonly string[]).includes(params.get('exceptions') ?? '') ? (params.get('exceptions') as StatusFilter) : 'open';
  const [limit, setLimit] = useState(50);
  const list = useRpcQuery(syncExceptions, { status, limit }, { keepPrevious: true, refetchInterval: 15_000 });
  const [resolving, setResolving] = useState<SyncException | null>(null);
  const mayResolve = can('sync', 'edit');
  const rows = list.data?.rows ?? [];

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          aria-label="Which exceptions"
          value={status}
          onChange={(value) => {
            setLimit(50);
            setParams((current) => {
              const next = new URLSearchParams(current);
              next.set('exceptions', value);
              return next;
            });
          }}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'resolved', label: 'Resolved' },
            { value: 'all', label: 'All' },
          ]}
        />
        {mayResolve ? null : (
          <Text size="xs" c="dimmed">
            An administrator resolves exceptions.
          </Text>
        )}
      </Group>
      {list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable
          label="Sync exceptions"
          rows={rows}
          columns={columns}
          rowKey="id"
          loading={list.isPending}
          onOpen={mayResolve ? (e) => (e.status === 'open' ? setResolving(e) : undefined) : undefined}
          totalLabel={
            list.data
              ? `${list.data.total} ${status === 'all' ? '' : `${status} `}exception${list.data.total === 1 ? '' : 's'}${mayResolve && status === 'open' && list.data.total > 0 ? ' · open one (click or Enter) to resolve it' : ''}`
              : undefined
          }
          footer={
            list.data?.nextCursor ? (
              <Button size="xs" variant="default" onClick={() => setLimit((l) => Math.min(500, l + 50))}>
                Show more
              </Button>
            ) : null
          }
          empty={
            <EmptyState
              icon={<IconCircleCheck size={24} stroke={1.5} />}
              title={status === 'open' ? 'No open exceptions' : 'No exceptions'}
              description={
                status === 'open'
                  ? 'Every event HQ was sent was accepted, and every master-data change from HQ was applied.'
                  : 'Problems between this branch and HQ appear here, and stay listed after they are resolved.'
              }
            />
          }
        />
      )}
      {status === 'open' && rows.some((r) => r.kind === 'journal.rewritten' || r.kind === 'journal.truncated') ? (
        <Alert color="red" variant="light" title="The journal no longer matches what HQ holds">
          Events were changed or removed after HQ received them. Uploads stop until HQ has looked into it: call HQ before resolving.
        </Alert>
      ) : null}
      <Modal opened={resolving !== null} onClose={() => setResolving(null)} title="Resolve sync exception" size="lg">
        {resolving ? <ResolveForm key={resolving.id} exception={resolving} onClose={() => setResolving(null)} /> : null}
      </Modal>
    </Stack>
  );
}
