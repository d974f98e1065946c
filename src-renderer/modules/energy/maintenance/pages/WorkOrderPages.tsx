import { Anchor, Badge, Button, Grid, Group, Menu, Paper, Select, SimpleGrid, Skeleton, Stack, Table, Tabs, Text, TextInput, Textarea, Timeline, Title } from '@mantine/core';
import { useDebouncedCallback, useHotkeys } from '@mantine/hooks';
import { IconArrowLeft, IconChevronDown, IconDots, IconPlus, IconSearch } from '@tabler/icons-react';
import { useCallback, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { z } from 'zod';
import {
  assetsList,
  staffList,
  workOrderFilters,
  workOrdersCreate,
  workOrdersGet,
  workOrdersList,
  type Priority,
  type WorkOrder,
  type WorkOrderType,
} from '../../../../../src-shared/contracts/energy/maintenance';
import { useZodForm } from '../../../../api/forms';
import { useRpcMutation, useRpcPages, useRpcQuery, useSession } from '../../../../api/hooks';
import { ApprovalBanner, AuditTrail, DataTable, DateText, EmptyState, ErrorAlert, Field, KeyboardHint, LoadMore, MoneyText, PageHeader, showingOf, StatusBadge } from '../../../../components';
import { formatHours, useToday } from '../../installations/shared/ui';
import { downtimeColumns, workOrderColumns } from '../components/columns';
import { FunctionTabs } from '../components/FunctionTabs';
import { ACTION_TITLES, WorkOrderDialog, type WorkOrderAction } from '../components/WorkOrderDialogs';
import { PRIORITY_LABELS, TYPE_LABELS, WORK_ORDERS, WORK_ORDER_STATUS_LABELS, assetPath, classOptions, priorityOptions, statusOptions, typeOptions, workOrderPath, MAINTENANCE } from '../labels';

/* ---------------- list ---------------- */

type Filters = { [K in keyof typeof workOrderFilters]?: z.output<(typeof workOrderFilters)[K]> };
const KEYS = Object.keys(workOrderFilters) as (keyof Filters)[];

/** The list's filters are the URL, checked field by field with the contract's own schemas. */
function useWorkOrderFilters() {
  const [params, setParams] = useSearchParams();
  const query = params.toString();
  const filters = useMemo<Filters>(() => {
    const out: Record<string, unknown> = {};
    const current = new URLSearchParams(query);
    for (const key of KEYS) {
      const raw = current.get(key);
      if (raw === null || raw === '') continue;
      const value = raw === 'true' ? true : raw === 'false' ? false : raw;
      const parsed = workOrderFilters[key].safeParse(value);
      if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
    }
    return out as Filters;
  }, [query]);
  const setFilters = useCallback(
    (patch: Filters, replace = false) =>
      setParams(
        () => {
          const next = { ...filters, ...patch };
          const out = new URLSearchParams();
          for (const key of KEYS) if (next[key] !== undefined && next[key] !== '') out.set(key, String(next[key]));
          return out;
        },
        { replace },
      ),
    [filters, setParams],
  );
  return { filters, setFilters, clear: () => setParams(new URLSearchParams()), active: KEYS.filter((k) => filters[k] !== undefined).length };
}

export function WorkOrderListPage() {
  const { can, user } = useSession();
  const staff = useRpcQuery(staffList, {});
  // "Me" first: a technician's own queue is one pick away; then everyone work can be assigned to.
  const assigneeOptions = [
    { value: user.id, label: `Me (${user.displayName})` },
    ...(staff.data ?? []).filter((u) => u.id !== user.id).map((u) => ({ value: u.id, label: u.displayName })),
  ];
  const navigate = useNavigate();
  const { filters, setFilters, clear, active } = useWorkOrderFilters();
  const { query, rows, first, total } = useRpcPages(workOrdersList, filters);
  const [search, setSearch] = useState(filters.search ?? '');
  const pushSearch = useDebouncedCallback((value: string) => setFilters({ search: value || undefined }, true), 300);
  const pick = (key: keyof Filters) => (value: string | null) => setFilters({ [key]: value ?? undefined });

  return (
    <Stack gap={0}>
      <PageHeader
        title="Work orders"
        subtitle="Corrective and preventive work, newest first. Filters stay in the address, so any view is a link."
        actions={
          can('energy.maintenance', 'create') ? (
            <Button component={Link} to={`${WORK_ORDERS}/new`} leftSection={<IconPlus size={16} />}>
              New work order
            </Button>
          ) : null
        }
      />
      <FunctionTabs />
      <Paper withBorder p="sm" mb="md">
        <Group gap="sm" align="flex-end">
          <TextInput
            label="Search"
            placeholder="Work order, title, asset"
            leftSection={<IconSearch size={14} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              pushSearch(e.currentTarget.value);
            }}
            w={240}
          />
          <Select label="Status" placeholder="Any" data={statusOptions} value={filters.status ?? null} onChange={pick('status')} clearable w={140} />
          <Select label="Type" placeholder="Any" data={typeOptions} value={filters.type ?? null} onChange={pick('type')} clearable w={140} />
          <Select label="Asset class" placeholder="Any" data={classOptions} value={filters.assetClass ?? null} onChange={pick('assetClass')} clearable w={160} />
          <Select
            label="Assigned to"
            placeholder="Anyone"
            data={assigneeOptions}
            value={filters.assignedTo ?? null}
            onChange={pick('assignedTo')}
            searchable
            clearable
            w={200}
          />
          <Select
            label="Show"
            data={[
              { value: 'all', label: 'All' },
              { value: 'unfinished', label: 'Unfinished (backlog)' },
              { value: 'overdue', label: 'Overdue' },
            ]}
            value={filters.overdue ? 'overdue' : filters.unfinished ? 'unfinished' : 'all'}
            onChange={(value) => setFilters({ overdue: value === 'overdue' ? true : undefined, unfinished: value === 'unfinished' ? true : undefined })}
            allowDeselect={false}
            w={170}
          />
          <TextInput type="date" label="Raised from" value={filters.from ?? ''} max={filters.to} onChange={(e) => setFilters({ from: e.currentTarget.value || undefined })} w={150} />
          <TextInput type="date" label="to" value={filters.to ?? ''} min={filters.from} onChange={(e) => setFilters({ to: e.currentTarget.value || undefined })} w={150} />
          {active > 0 ? (
            <Button
              variant="subtle"
              onClick={() => {
                setSearch('');
                clear();
              }}
            >
              Clear filters
            </Button>
          ) : null}
        </Group>
      </Paper>
      {query.isError ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <DataTable
        label="Work orders"
        rows={rows as WorkOrder[]}
        rowKey="id"
        columns={workOrderColumns}
        onOpen={(w) => navigate(workOrderPath(w.id))}
        loading={query.isFetching && !query.isFetchingNextPage}
        empty={
          <EmptyState
            title={active > 0 ? 'No work orders match these filters' : 'No work orders yet'}
            description={
              active > 0
                ? 'Clear a filter to see more.'
                : 'Raise one for a repair, log a breakdown on an asset, or generate the preventive work that is due from the schedules.'
            }
          />
        }
        totalLabel={
          total > 0 ? (
            <>
              {showingOf(rows.length, total, 'work order')} · {formatHours(first?.totals.labourHours ?? 0)} labour ·{' '}
              <MoneyText value={first?.totals.totalCost ?? 0} /> cost
            </>
          ) : null
        }
        footer={
          <LoadMore query={query} />
        }
      />
    </Stack>
  );
}

/* ---------------- detail ---------------- */

const TABS = ['details', 'bookings', 'timeline', 'audit'] as const;

/** Actions the status allows, and the permission each needs. */
const AVAILABLE: { action: WorkOrderAction; when: WorkOrder['status'][]; verb: 'edit' | 'submit' | 'post' | 'void' }[] = [
  { action: 'start', when: ['open', 'on_hold'], verb: 'edit' },
  { action: 'labour', when: ['open', 'in_progress', 'on_hold'], verb: 'edit' },
  { action: 'part', when: ['open', 'in_progress', 'on_hold'], verb: 'edit' },
  { action: 'hold', when: ['in_progress'], verb: 'edit' },
  { action: 'complete', when: ['in_progress'], verb: 'submit' },
  { action: 'close', when: ['completed'], verb: 'post' },
  { action: 'edit', when: ['open', 'in_progress', 'on_hold'], verb: 'edit' },
  { action: 'cancel', when: ['open', 'on_hold'], verb: 'void' },
];

/** Rarer actions sit in the More menu so the everyday ones (labour, parts, the next step) keep their place. */
const IN_MENU: WorkOrderAction[] = ['hold', 'edit', 'cancel'];

export function WorkOrderDetailPage() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((t) => t === params.get('tab')) ?? 'details';
  const detail = useRpcQuery(workOrdersGet, { id }, { enabled: id !== '' });
  const [action, setAction] = useState<WorkOrderAction | null>(null);
  const wo = detail.data?.workOrder;
  const actions = wo ? AVAILABLE.filter((a) => a.when.includes(wo.status) && can('energy.maintenance', a.verb)) : [];
  const primary = actions.find((a) => a.action === 'start' || a.action === 'complete' || a.action === 'close');
  const buttons = actions.filter((a) => !IN_MENU.includes(a.action));
  const menu = actions.filter((a) => IN_MENU.includes(a.action));

  useHotkeys(primary ? [['n', () => setAction(primary.action)]] : []);

  if (detail.isPending) return <Skeleton h={300} />;
  if (detail.isError || !wo) return <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />;
  const data = detail.data;

  return (
    <Stack gap={0}>
      <Anchor component={Link} to={WORK_ORDERS} size="sm" mb="xs" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} /> Work orders
        </Group>
      </Anchor>
      <PageHeader
        title={`${wo.woNo} · ${wo.title}`}
        subtitle={
          <>
            {TYPE_LABELS[wo.type]} · <Anchor component={Link} to={assetPath(wo.assetId)} size="sm">{`${wo.assetCode} ${wo.assetName}`}</Anchor> · {wo.siteCode}
          </>
        }
        badge={
          // The state must stay readable however long the title: the title gives way, not the badges.
          <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
            <StatusBadge status={wo.status} label={WORK_ORDER_STATUS_LABELS[wo.status]} size="md" style={{ flexShrink: 0 }} miw="max-content" />
            {wo.overdue ? (
              <Badge color="red" miw="max-content">
                Overdue
              </Badge>
            ) : null}
          </Group>
        }
        actions={
          <>
            {buttons.map((a) => (
              <Button
                key={a.action}
                variant={a === primary ? 'filled' : 'default'}
                onClick={() => setAction(a.action)}
                rightSection={a === primary ? <KeyboardHint keys="n" /> : undefined}
              >
                {ACTION_TITLES[a.action]}
              </Button>
            ))}
            {menu.length > 0 ? (
              <Menu position="bottom-end">
                <Menu.Target>
                  <Button variant="default" leftSection={<IconDots size={16} />} rightSection={<IconChevronDown size={14} />}>
                    More
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {menu.map((a) => (
                    <Menu.Item key={a.action} color={a.action === 'cancel' ? 'red' : undefined} onClick={() => setAction(a.action)}>
                      {a.action === 'cancel' ? 'Cancel the work order' : ACTION_TITLES[a.action]}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            ) : null}
          </>
        }
      />
      <FunctionTabs />
      <ApprovalBanner entity="workOrder" entityId={wo.id} />
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'details' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="bookings">
            Labour and parts ({data.labour.length + data.parts.length})
          </Tabs.Tab>
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          <Grid>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Paper withBorder p="md">
                {/* The header may cut a long title short; here it reads in full. */}
                <Text size="sm" fw={600} mb="sm">
                  {wo.title}
                </Text>
                <SimpleGrid cols={2} spacing="sm">
                  <Field label="Priority">{PRIORITY_LABELS[wo.priority]}</Field>
                  <Field label="Due">{wo.dueOn ? <DateText value={wo.dueOn} size="sm" /> : null}</Field>
                  <Field label="Assigned to">{wo.assignedToName}</Field>
                  <Field label="Raised">
                    <DateText value={wo.createdAt} size="sm" /> by {wo.createdByName}
                  </Field>
                  {wo.holdReason ? <Field label="On hold because">{wo.holdReason}</Field> : null}
                  {wo.completedAt ? (
                    <Field label="Completed">
                      <DateText value={wo.completedAt} size="sm" />
                    </Field>
                  ) : null}
                  {wo.closedAt ? (
                    <Field label="Closed">
                      <DateText value={wo.closedAt} size="sm" />
                    </Field>
                  ) : null}
                  {wo.cancelReason ? <Field label="Cancelled because">{wo.cancelReason}</Field> : null}
                </SimpleGrid>
                {wo.description ? (
                  <Text size="sm" mt="sm">
                    {wo.description}
                  </Text>
                ) : null}
                {wo.completionNotes ? (
                  <Text size="sm" mt="sm">
                    <b>Done:</b> {wo.completionNotes}
                  </Text>
                ) : null}
              </Paper>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Paper withBorder p="md">
                <Title order={4} fz="md" mb="sm">
                  Cost
                </Title>
                <SimpleGrid cols={2} spacing="sm">
                  <Field label={`Labour (${formatHours(wo.labourHours)})`}>
                    <MoneyText value={wo.labourCost} />
                  </Field>
                  <Field label="Parts">
                    <MoneyText value={wo.partsCost} />
                  </Field>
                  <Field label="Total">
                    <MoneyText value={wo.totalCost} fw={700} />
                  </Field>
                  <Field label="Closing needs approval above">
                    <MoneyText value={data.closeApprovalAbove} />
                  </Field>
                </SimpleGrid>
              </Paper>
            </Grid.Col>
          </Grid>
          {data.downtime.length > 0 ? (
            // Full width: the stop's badges (still down, failure) need room to be read.
            <Paper withBorder p="md" mt="md">
              <Title order={4} fz="md" mb="sm">
                Downtime repaired
              </Title>
              <DataTable label="Downtime of this work order" rows={data.downtime} rowKey="id" columns={downtimeColumns.filter((c) => c.key !== 'wo')} />
            </Paper>
          ) : null}
        </Tabs.Panel>
        <Tabs.Panel value="bookings">
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Paper withBorder p="md">
              <Title order={4} fz="md" mb="sm">
                Labour
              </Title>
              {data.labour.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No hours booked yet.
                </Text>
              ) : (
                <Table aria-label="Labour booked">
                  <Table.Tbody>
                    {data.labour.map((l) => (
                      <Table.Tr key={l.id}>
                        <Table.Td>
                          <DateText value={l.workedOn} size="sm" />
                        </Table.Td>
                        <Table.Td>{l.userName}</Table.Td>
                        <Table.Td ta="right">{formatHours(l.hours)}</Table.Td>
                        <Table.Td ta="right">
                          <MoneyText value={l.cost} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Paper>
            <Paper withBorder p="md">
              <Title order={4} fz="md" mb="sm">
                Parts issued
              </Title>
              {data.parts.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No parts issued yet.
                </Text>
              ) : (
                <Table aria-label="Parts issued">
                  <Table.Tbody>
                    {data.parts.map((m) => (
                      <Table.Tr key={m.id}>
                        <Table.Td>
                          {m.partCode} · {m.partName}
                        </Table.Td>
                        <Table.Td ta="right">{-m.quantity}</Table.Td>
                        <Table.Td ta="right">
                          <MoneyText value={-m.value} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Paper>
          </SimpleGrid>
        </Tabs.Panel>
        <Tabs.Panel value="timeline">
          <Timeline bulletSize={14} lineWidth={2} active={data.timeline.length - 1}>
            {data.timeline.map((e) => (
              <Timeline.Item key={e.id} title={<Text size="sm" fw={600}>{WORK_ORDER_STATUS_LABELS[e.toStatus]}</Text>}>
                {e.note ? <Text size="sm">{e.note}</Text> : null}
                <Text size="xs" c="dimmed">
                  {e.actorName} · <DateText value={e.at} span inherit />
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditTrail entity="workOrder" entityId={wo.id} />
        </Tabs.Panel>
      </Tabs>
      <WorkOrderDialog workOrder={wo} action={action} closeApprovalAbove={data.closeApprovalAbove} onClose={() => setAction(null)} />
    </Stack>
  );
}

/* ---------------- form ---------------- */

interface FormValues extends Record<string, unknown> {
  assetId: string;
  type: WorkOrderType;
  title: string;
  description: string;
  priority: Priority;
  dueOn: string;
  assignedTo: string;
}

/** Raise a work order; `?asset=` preselects the asset (from its page). */
export function WorkOrderFormPage() {
  const navigate = useNavigate();
  const today = useToday();
  const [params] = useSearchParams();
  const [assetSearch, setAssetSearch] = useState('');
  const assets = useRpcQuery(assetsList, { search: assetSearch || undefined, limit: 50 }, { keepPrevious: true });
  const staff = useRpcQuery(staffList, {});
  const create = useRpcMutation(workOrdersCreate, { notifyErrors: false, invalidate: MAINTENANCE });
  const form = useZodForm(
    workOrdersCreate.input,
    { assetId: params.get('asset') ?? '', type: 'corrective', title: '', description: '', priority: 'normal', dueOn: today, assignedTo: '' } as FormValues,
    (v: FormValues) => ({
      assetId: v.assetId,
      type: v.type,
      title: v.title,
      priority: v.priority,
      ...(v.description ? { description: v.description } : {}),
      ...(v.dueOn ? { dueOn: v.dueOn } : {}),
      ...(v.assignedTo ? { assignedTo: v.assignedTo } : {}),
    }),
  );
  const submit = form.onSubmit((input) =>
    create.mutate({ input }, { onSuccess: (wo) => navigate(workOrderPath(wo.id)), onError: (error) => form.applyServerErrors(error) }),
  );
  const assetOptions = (assets.data?.rows ?? []).filter((a) => a.status !== 'retired').map((a) => ({ value: a.id, label: `${a.code} · ${a.name} (${a.siteCode})` }));

  return (
    <Stack gap={0}>
      <PageHeader title="New work order" subtitle="For a breakdown, log the downtime on the asset instead: it raises the work order and counts towards MTBF/MTTR." />
      <FunctionTabs />
      <Paper withBorder p="md" maw={760}>
        <form onSubmit={submit} aria-label="New work order">
          <Stack>
            <Select
              label="Asset"
              searchable
              searchValue={assetSearch}
              onSearchChange={setAssetSearch}
              data={assetOptions}
              value={form.values.assetId || null}
              onChange={(value) => form.setField('assetId', value ?? '')}
              error={form.errors.assetId}
              nothingFoundMessage="No asset matches"
              data-autofocus
            />
            <TextInput label="What is to be done" required {...form.text('title')} />
            <Textarea label="Details" autosize minRows={2} {...form.text('description')} />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Select label="Type" data={typeOptions} value={form.values.type} onChange={(v) => v && form.setField('type', v as WorkOrderType)} allowDeselect={false} />
              <Select label="Priority" data={priorityOptions} value={form.values.priority} onChange={(v) => v && form.setField('priority', v as Priority)} allowDeselect={false} />
              <TextInput type="date" label="Due" {...form.text('dueOn')} />
            </SimpleGrid>
            {staff.data ? (
              <Select
                label="Assign to"
                data={staff.data.map((u) => ({ value: u.id, label: `${u.displayName} (${u.roleName})` }))}
                value={form.values.assignedTo || null}
                onChange={(v) => form.setField('assignedTo', v ?? '')}
                clearable
              />
            ) : null}
            <ErrorAlert error={create.error && Object.keys(form.errors).length === 0 ? create.error : null} />
            <Group justify="flex-end">
              <Button variant="default" component={Link} to={WORK_ORDERS}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Raise work order
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
