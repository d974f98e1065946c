import { ActionIcon, Anchor, Badge, Button, Code, Drawer, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconArrowRight, IconFilterOff, IconRefresh, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { auditList, auditVerify, usersList } from '../../../src-shared/contracts/kernel';
import type { AuditEvent } from '../../../src-shared/rpc';
import { useRpcQuery, useSession } from '../../api/hooks';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { DateText } from '../../components/DateText';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { pluralize } from '../../components/labels';
import { PageHeader } from '../../components/PageHeader';
import { ChangeList, humanizeKey } from '../../components/ValueView';

const PAGE_SIZE = 50;
const FILTER_KEYS = ['entity', 'entityId', 'actorId', 'procedure', 'from', 'to'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Partial<Record<FilterKey, string>>;

function VerifyBadge() {
  const verify = useRpcQuery(auditVerify, {});
  if (verify.isPending) {
    return (
      <Badge variant="light" color="gray" size="lg">
        Verifying the chain…
      </Badge>
    );
  }
  if (verify.isError) {
    return (
      <Badge variant="light" color="red" size="lg">
        Could not verify: {verify.error.message}
      </Badge>
    );
  }
  const v = verify.data;
  return (
    <Group gap={6} wrap="nowrap">
      {v.ok ? (
        <Tooltip label={`Every event's hash matches its content and its predecessor. Head hash ${v.headHash ?? '—'}`} multiline w={320}>
          <Badge variant="light" color="green" size="lg" leftSection={<IconShieldCheck size={14} />} tt="none">
            Chain verified: {v.checked.toLocaleString()} events, head {v.headHash ? v.headHash.slice(0, 10) : '—'}
          </Badge>
        </Tooltip>
      ) : (
        <Badge variant="filled" color="red" size="lg" leftSection={<IconShieldX size={14} />} tt="none">
          Chain broken at #{v.firstBadSeq ?? '?'}: {v.problem ?? 'hash mismatch'}
        </Badge>
      )}
      <Tooltip label="Verify again">
        <Button variant="subtle" size="compact-sm" color="gray" onClick={() => void verify.refetch()} loading={verify.isFetching} aria-label="Verify again">
          <IconRefresh size={16} />
        </Button>
      </Tooltip>
    </Group>
  );
}

function EventDetail({ event, onTrail }: { event: AuditEvent; onTrail(): void }) {
  return (
    <Stack gap="md">
      <SimpleGrid cols={2} spacing="sm" verticalSpacing="xs">
        <div>
          <Text size="xs" c="dimmed">When</Text>
          <DateText value={event.at} size="sm" />
        </div>
        <div>
          <Text size="xs" c="dimmed">Who</Text>
          <Text size="sm">{event.actorName ?? 'The system'}</Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">Action</Text>
          <Text size="sm">{humanizeKey(event.action)}</Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">Procedure</Text>
          <Code>{event.procedure}</Code>
        </div>
        <div>
          <Text size="xs" c="dimmed">Record</Text>
          <Text size="sm">
            {event.entity} <Code>{event.entityId}</Code>
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">Sequence</Text>
          <Text size="sm">#{event.seq}</Text>
        </div>
        {event.reason ? (
          <div style={{ gridColumn: 'span 2' }}>
            <Text size="xs" c="dimmed">Reason</Text>
            <Text size="sm">{event.reason}</Text>
          </div>
        ) : null}
        {event.approvalId ? (
          <div style={{ gridColumn: 'span 2' }}>
            <Text size="xs" c="dimmed">Approved request</Text>
            <Anchor href={`#/approvals?box=all&id=${encodeURIComponent(event.approvalId)}`} size="sm">
              {event.approvalId}
            </Anchor>
          </div>
        ) : null}
      </SimpleGrid>
      <div>
        <Text size="xs" c="dimmed" mb={4}>
          {event.before === null ? 'Values written' : 'What changed'}
        </Text>
        <ChangeList before={event.before} after={event.after} />
      </div>
      <Text size="xs" c="dimmed">
        Hash <Code fz="xs">{event.hash}</Code>
      </Text>
      <Button variant="light" onClick={onTrail} w="fit-content">
        Show every event of this record
      </Button>
    </Stack>
  );
}

const columns: DataColumn<AuditEvent>[] = [
  { key: 'seq', header: '#', width: 70, align: 'right', render: (e) => <Text size="sm" c="dimmed">{e.seq}</Text> },
  { key: 'at', header: 'When', width: 150, render: (e) => <DateText value={e.at} /> },
  { key: 'actorName', header: 'Who', width: 150, render: (e) => e.actorName ?? <Text span inherit c="dimmed">system</Text> },
  {
    key: 'action',
    header: 'Action',
    render: (e) => (
      <div>
        <Text size="sm" fw={500}>
          {humanizeKey(e.action)}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {e.procedure}
        </Text>
      </div>
    ),
  },
  {
    key: 'entity',
    header: 'Record',
    render: (e) => (
      <Text size="sm" truncate>
        {e.entity} <Text span c="dimmed" ff="monospace" size="xs">{e.entityId.slice(-10)}</Text>
      </Text>
    ),
  },
  { key: 'reason', header: 'Reason', render: (e) => <Text size="sm" lineClamp={1}>{e.reason ?? ''}</Text> },
];

/** The journal: filter by record, user, procedure and dates, page by cursor, and see the chain's health. */
export function AuditViewer() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const applied = useMemo<Filters>(() => {
    const filters: Filters = {};
    for (const key of FILTER_KEYS) {
      const value = params.get(key);
      if (value) filters[key] = value;
    }
    return filters;
  }, [params]);
  // Typed-but-not-applied filters and the page cursors belong to one set of applied filters;
  // when the URL changes (Apply, a drilldown link, Back) both start afresh.
  const filterKey = params.toString();
  const [draftState, setDraftState] = useState({ filterKey, values: applied });
  const draft = draftState.filterKey === filterKey ? draftState.values : applied;
  const setDraft = (update: (current: Filters) => Filters) => setDraftState({ filterKey, values: update(draft) });
  // Index 0 is the newest page; "Older" pushes the server's next cursor.
  const [paging, setPaging] = useState({ filterKey, cursors: [undefined] as (string | undefined)[] });
  const cursors = paging.filterKey === filterKey ? paging.cursors : [undefined];
  const setCursors = (update: (current: (string | undefined)[]) => (string | undefined)[]) =>
    setPaging({ filterKey, cursors: update(cursors) });
  const [open, setOpen] = useState<AuditEvent | null>(null);

  const cursor = cursors[cursors.length - 1];
  const events = useRpcQuery(auditList, { ...applied, ...(cursor ? { cursor } : {}), limit: PAGE_SIZE }, { keepPrevious: true });
  const users = useRpcQuery(usersList, { includeInactive: true }, { enabled: can('admin.users', 'view') });

  const apply = (filters: Filters) =>
    setParams(() => {
      const next = new URLSearchParams();
      for (const key of FILTER_KEYS) if (filters[key]) next.set(key, filters[key]!);
      return next;
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };
  const setDraftField = (key: FilterKey, value: string | null) => setDraft((d) => ({ ...d, [key]: value ?? '' }));

  const rows = events.data?.rows ?? [];
  const total = events.data?.total ?? 0;
  const firstIndex = (cursors.length - 1) * PAGE_SIZE;
  const filtered = Object.keys(applied).length > 0;

  return (
    <>
      <PageHeader
        title="Audit journal"
        subtitle="Every write, who made it, when and why. Events cannot be edited or deleted; the hash chain shows if anyone tried."
        actions={<VerifyBadge />}
      />
      <Paper withBorder p="sm" mb="sm">
        <form onSubmit={submit}>
          <Group gap="xs" align="flex-end" wrap="wrap">
            <TextInput label="Record type" placeholder="reading, user…" w={120} value={draft.entity ?? ''} onChange={(e) => setDraftField('entity', e.currentTarget.value)} />
            <TextInput label="Record id" placeholder="id" w={130} value={draft.entityId ?? ''} onChange={(e) => setDraftField('entityId', e.currentTarget.value)} />
            {can('admin.users', 'view') ? (
              <Select
                label="User"
                placeholder="Anyone"
                w={170}
                searchable
                clearable
                data={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
                value={draft.actorId ?? null}
                onChange={(value) => apply({ ...draft, actorId: value ?? '' })}
              />
            ) : (
              <TextInput label="User id" w={170} value={draft.actorId ?? ''} onChange={(e) => setDraftField('actorId', e.currentTarget.value)} />
            )}
            <TextInput
              label="Procedure"
              placeholder="admin.users.update"
              w={170}
              value={draft.procedure ?? ''}
              onChange={(e) => setDraftField('procedure', e.currentTarget.value)}
            />
            <TextInput label="From" type="date" w={132} value={draft.from ?? ''} onChange={(e) => setDraftField('from', e.currentTarget.value)} />
            <TextInput label="To" type="date" w={132} value={draft.to ?? ''} onChange={(e) => setDraftField('to', e.currentTarget.value)} />
            <Button type="submit">Apply</Button>
            {filtered ? (
              <Tooltip label="Clear all filters">
                <ActionIcon variant="subtle" color="gray" size="lg" mb={2} aria-label="Clear all filters" onClick={() => apply({})}>
                  <IconFilterOff size={18} />
                </ActionIcon>
              </Tooltip>
            ) : null}
          </Group>
        </form>
      </Paper>
      {events.isError ? (
        <ErrorAlert error={events.error} onRetry={() => void events.refetch()} />
      ) : (
        <Paper withBorder>
          <DataTable
            label="Journal events"
            rows={rows}
            columns={columns}
            rowKey="id"
            loading={events.isPending || events.isPlaceholderData}
            onOpen={(event) => setOpen(event)}
            empty={
              <EmptyState
                title={filtered ? 'No events match these filters' : 'The journal is empty'}
                description={
                  filtered
                    ? 'Widen the date range or clear a filter. Record types are singular names such as “reading” or “user”.'
                    : 'Every change made in the app is written here as it happens.'
                }
                action={
                  filtered ? (
                    <Button variant="light" onClick={() => apply({})}>
                      Clear filters
                    </Button>
                  ) : undefined
                }
              />
            }
          />
        </Paper>
      )}
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed">
          {rows.length > 0
            ? `Events ${(firstIndex + 1).toLocaleString()}–${(firstIndex + rows.length).toLocaleString()} of ${pluralize(total, 'event')}, newest first`
            : ''}
        </Text>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            leftSection={<IconArrowLeft size={14} />}
            disabled={cursors.length <= 1}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Newer
          </Button>
          <Button
            size="xs"
            variant="default"
            rightSection={<IconArrowRight size={14} />}
            disabled={!events.data?.nextCursor || events.isPlaceholderData}
            onClick={() => {
              const next = events.data?.nextCursor;
              if (next) setCursors((c) => [...c, next]);
            }}
          >
            Older
          </Button>
        </Group>
      </Group>
      <Drawer opened={open !== null} onClose={() => setOpen(null)} title={open ? `Event #${open.seq}` : 'Event'}>
        {open ? (
          <EventDetail
            event={open}
            onTrail={() => {
              apply({ entity: open.entity, entityId: open.entityId });
              setOpen(null);
            }}
          />
        ) : null}
      </Drawer>
    </>
  );
}
