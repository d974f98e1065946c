import { Drawer, Group, Paper, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { IconChecklist } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { APPROVAL_STATUSES, approvalsList, type Approval } from '../../../src-shared/contracts/kernel';
import { useRpcQuery } from '../../api/hooks';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { DateText } from '../../components/DateText';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { functionLabel, pluralize } from '../../components/labels';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge, statusLabel } from '../../components/StatusBadge';
import { ApprovalDetail } from './ApprovalDetail';

type Box = 'waiting' | 'mine' | 'all';
type Status = (typeof APPROVAL_STATUSES)[number];

const BOXES: { value: Box; label: string }[] = [
  { value: 'waiting', label: 'Waiting for me' },
  { value: 'mine', label: 'My requests' },
  { value: 'all', label: 'All' },
];

const EMPTY: Record<Box, { title: string; description: string }> = {
  waiting: {
    title: 'Nothing is waiting for you',
    description: 'Requests you may approve appear here as soon as someone asks; the badge in the header counts them.',
  },
  mine: {
    title: 'You have no approval requests',
    description: 'When an action of yours needs a second person (an exception override, a large refund), it appears here so you can follow it.',
  },
  all: {
    title: 'No approval requests match',
    description: 'Clear the status filter, or check again after someone asks for an approval.',
  },
};

const columns: DataColumn<Approval>[] = [
  { key: 'requestedAt', header: 'Requested', width: 140, render: (a) => <DateText value={a.requestedAt} /> },
  {
    key: 'summary',
    header: 'Request',
    render: (a) => (
      <div>
        <Text size="sm" fw={500} lineClamp={2}>
          {a.summary}
        </Text>
        <Text size="xs" c="dimmed">
          {functionLabel(a.functionKey)} · asked by {a.requestedByName}
        </Text>
      </div>
    ),
  },
  {
    key: 'requestReason',
    header: 'Their reason',
    width: 220,
    render: (a) => (
      <Text size="sm" c={a.requestReason ? undefined : 'dimmed'} lineClamp={2}>
        {a.requestReason ?? '—'}
      </Text>
    ),
  },
  {
    key: 'status',
    header: 'Status',
    width: 170,
    render: (a) => (
      <Stack gap={2} align="flex-start">
        <StatusBadge status={a.status} />
        {a.status === 'pending' && a.canDecide ? (
          <Text size="xs" c="yellow.8" fw={500}>
            you decide
          </Text>
        ) : a.decidedByName ? (
          <Text size="xs" c="dimmed">
            by {a.decidedByName}
          </Text>
        ) : null}
      </Stack>
    ),
  },
];

/** Maker-checker inbox: what waits for me, what I asked for, and (for supervisors) everything. */
export function ApprovalsInbox() {
  const [params, setParams] = useSearchParams();
  const box = (BOXES.some((b) => b.value === params.get('box')) ? params.get('box') : 'waiting') as Box;
  const status = (APPROVAL_STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as Status) : undefined;
  const openId = params.get('id');

  const approvals = useRpcQuery(approvalsList, status ? { box, status } : { box }, { keepPrevious: true, refetchInterval: 30_000 });

  const update = (changes: Record<string, string | null>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) next.delete(key);
        else next.set(key, value);
      }
      return next;
    });

  const rows = approvals.data ?? [];
  const pendingForMe = rows.filter((a) => a.status === 'pending' && a.canDecide).length;

  return (
    <>
      <PageHeader
        title="Approvals"
        subtitle="High-risk actions wait here until a second person approves or rejects them, with a reason."
        badge={pendingForMe > 0 ? <StatusBadge status="pending" label={`${pendingForMe} for you`} /> : undefined}
      />
      <Group justify="space-between" mb="sm" gap="sm">
        <SegmentedControl
          value={box}
          onChange={(value) => update({ box: value, id: null })}
          data={BOXES}
          size="sm"
          aria-label="Which requests"
        />
        <Select
          placeholder="Any status"
          aria-label="Status"
          clearable
          w={180}
          size="sm"
          value={status ?? null}
          onChange={(value) => update({ status: value })}
          data={APPROVAL_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
        />
      </Group>
      {approvals.isError ? (
        <ErrorAlert error={approvals.error} onRetry={() => void approvals.refetch()} />
      ) : (
        <Paper withBorder>
          <DataTable
            label="Approval requests"
            rows={rows}
            columns={columns}
            rowKey="id"
            loading={approvals.isPending || approvals.isPlaceholderData}
            onOpen={(a) => update({ id: a.id })}
            empty={<EmptyState icon={<IconChecklist size={24} stroke={1.5} />} {...EMPTY[box]} />}
          />
        </Paper>
      )}
      {rows.length > 0 ? (
        <Text size="xs" c="dimmed" mt="xs">
          {pluralize(rows.length, 'request')} · ↑/↓ to move, Enter to open
        </Text>
      ) : null}
      <Drawer opened={openId !== null} onClose={() => update({ id: null })} title="Approval request" size="lg">
        {openId ? <ApprovalDetail id={openId} /> : null}
      </Drawer>
    </>
  );
}
