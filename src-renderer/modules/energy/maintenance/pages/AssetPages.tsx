import { LineChart } from '@mantine/charts';
import { Alert, Anchor, Button, Grid, Group, Menu, Paper, Select, SimpleGrid, Skeleton, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowLeft, IconChevronDown, IconEdit, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  assetsCreate,
  assetsGet,
  assetsList,
  assetsUpdate,
  sitesCreate,
  sitesList,
  sitesUpdate,
  type Asset,
  type AssetClass,
  type AssetStatus,
  type Downtime,
  type Site,
} from '../../../../../src-shared/contracts/energy/maintenance';
import { useZodForm } from '../../../../api/forms';
import { useRpcMutation, useRpcPages, useRpcQuery, useSession } from '../../../../api/hooks';
import { ApprovalBanner, AuditTrail, DataTable, DateText, EmptyState, ErrorAlert, Field, LoadMore, PageHeader, showingOf, StatusBadge } from '../../../../components';
import { ActionDialog, formatHours, formatNumber, useToday } from '../../installations/shared/ui';
import { AssetDialog, CorrectDowntimeDialog, type AssetAction } from '../components/AssetDialogs';
import { assetColumns, downtimeColumns, workOrderColumns } from '../components/columns';
import { FunctionTabs } from '../components/FunctionTabs';
import { ASSETS, ASSET_CLASSES, ASSET_STATUS_LABELS, BASE, DOWNTIME_REASONS, WORK_ORDERS, assetPath, assetStatusOptions, classOptions, workOrderPath, MAINTENANCE } from '../labels';

/* ---------------- list ---------------- */

export function AssetListPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = {
    siteId: params.get('siteId') || undefined,
    assetClass: (params.get('assetClass') || undefined) as AssetClass | undefined,
    status: (params.get('status') || undefined) as AssetStatus | undefined,
    search: params.get('search') || undefined,
  };
  const sites = useRpcQuery(sitesList, {});
  const { query, rows, total } = useRpcPages(assetsList, filters);
  const [search, setSearch] = useState(filters.search ?? '');
  const [addingSite, setAddingSite] = useState(false);
  const [renamingSite, setRenamingSite] = useState(false);
  const selectedSite = (sites.data ?? []).find((s) => s.id === filters.siteId);
  const set = (key: string, value: string | null | undefined, replace = false) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace },
    );
  const pushSearch = useDebouncedCallback((value: string) => set('search', value, true), 300);

  return (
    <Stack gap={0}>
      <PageHeader
        title="Assets"
        subtitle="Transformers, pumps, vehicles, tools and meters in stock, by site. An asset may sit under another (a fan bank under its transformer)."
        actions={
          can('energy.maintenance', 'create') ? (
            <>
              <Button variant="default" onClick={() => setAddingSite(true)}>
                New site
              </Button>
              <Button component={Link} to={`${ASSETS}/new`} leftSection={<IconPlus size={16} />}>
                New asset
              </Button>
            </>
          ) : null
        }
      />
      <FunctionTabs />
      <Paper withBorder p="sm" mb="md">
        <Group gap="sm" align="flex-end">
          <TextInput
            label="Search"
            placeholder="Code, name or serial"
            leftSection={<IconSearch size={14} />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              pushSearch(e.currentTarget.value);
            }}
            w={220}
          />
          <Select
            label="Site"
            placeholder="All sites"
            data={(sites.data ?? []).map((s) => ({ value: s.id, label: `${s.code} · ${s.name} (${s.assetCount})` }))}
            value={filters.siteId ?? null}
            onChange={(v) => set('siteId', v)}
            clearable
            w={240}
          />
          {can('energy.maintenance', 'create') && selectedSite ? (
            <Button variant="default" leftSection={<IconEdit size={16} />} onClick={() => setRenamingSite(true)}>
              Rename site
            </Button>
          ) : null}
          <Select label="Class" placeholder="Any" data={classOptions} value={filters.assetClass ?? null} onChange={(v) => set('assetClass', v)} clearable w={160} />
          <Select label="Status" placeholder="Any" data={assetStatusOptions} value={filters.status ?? null} onChange={(v) => set('status', v)} clearable w={150} />
        </Group>
      </Paper>
      {query.isError ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      <DataTable
        label="Assets"
        rows={rows as Asset[]}
        rowKey="id"
        columns={assetColumns}
        onOpen={(a) => navigate(assetPath(a.id))}
        loading={query.isFetching && !query.isFetchingNextPage}
        empty={
          <EmptyState
            title="No assets here"
            description={sites.data?.length ? 'Register the equipment you maintain, or clear a filter.' : 'Start with a site (a substation, a pump station, a depot), then register its equipment.'}
          />
        }
        totalLabel={total > 0 ? showingOf(rows.length, total, 'asset') : null}
        footer={
          <LoadMore query={query} />
        }
      />
      <SiteDialog opened={addingSite} onClose={() => setAddingSite(false)} />
      {/* Mounted per opening, so the form starts from the site's current name and version. */}
      {renamingSite && selectedSite ? <RenameSiteDialog site={selectedSite} onClose={() => setRenamingSite(false)} /> : null}
    </Stack>
  );
}

function SiteDialog({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const create = useRpcMutation(sitesCreate, { notifyErrors: false, invalidate: MAINTENANCE });
  const form = useZodForm(sitesCreate.input, { code: '', name: '' });
  const submit = form.onSubmit((input) =>
    create.mutate(
      { input },
      {
        onSuccess: () => {
          form.reset();
          onClose();
        },
        onError: (e) => form.applyServerErrors(e),
      },
    ),
  );
  return (
    <ActionDialog opened={opened} title="New site" onClose={onClose} onSubmit={submit} submitLabel="Create site" busy={create.isPending} error={create.error && Object.keys(form.errors).length === 0 ? create.error : null}>
      <TextInput label="Code" placeholder="SUB-N" required {...form.text('code')} data-autofocus />
      <TextInput label="Name" placeholder="North substation" required {...form.text('name')} />
    </ActionDialog>
  );
}

/** A mistyped name can be corrected; the code cannot, since work orders, asset codes and reports know the site by it. */
function RenameSiteDialog({ site, onClose }: { site: Site; onClose(): void }) {
  const rename = useRpcMutation(sitesUpdate, { notifyErrors: false, invalidate: MAINTENANCE });
  const form = useZodForm(sitesUpdate.input, { id: site.id, version: site.version, name: site.name });
  const submit = form.onSubmit((input) =>
    rename.mutate(
      { input },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', message: `Site ${saved.code} is now ${saved.name}.` });
          onClose();
        },
        onError: (e) => form.applyServerErrors(e),
      },
    ),
  );
  return (
    <ActionDialog
      opened
      title={`Rename site ${site.code}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Rename site"
      busy={rename.isPending}
      error={rename.error && Object.keys(form.errors).length === 0 ? rename.error : null}
    >
      <TextInput label="Code" value={site.code} disabled description="Stays as it is: work orders, asset codes and reports know the site by it." />
      <TextInput label="Name" required {...form.text('name')} data-autofocus />
    </ActionDialog>
  );
}

/* ---------------- detail ---------------- */

const TABS = ['details', 'downtime', 'work', 'audit'] as const;

export function AssetDetailPage() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((t) => t === params.get('tab')) ?? 'details';
  const detail = useRpcQuery(assetsGet, { id }, { enabled: id !== '' });
  const [action, setAction] = useState<AssetAction | null>(null);
  const [correcting, setCorrecting] = useState<Downtime | null>(null);

  if (detail.isPending) return <Skeleton h={300} />;
  if (detail.isError) return <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />;
  const { asset, children, downtime, schedules, workOrders, usage, reliability } = detail.data;
  const inUse = asset.status !== 'retired';
  const mayEdit = can('energy.maintenance', 'edit') && inUse;
  const openStop = downtime.find((d) => d.id === asset.openDowntimeId);

  return (
    <Stack gap={0}>
      <Anchor component={Link} to={ASSETS} size="sm" mb="xs" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} /> Assets
        </Group>
      </Anchor>
      <PageHeader
        title={`${asset.code} · ${asset.name}`}
        subtitle={`${ASSET_CLASSES[asset.assetClass]} at ${asset.siteCode} ${asset.siteName}${asset.parentCode ? ` · under ${asset.parentCode}` : ''}`}
        badge={<StatusBadge status={asset.status} label={ASSET_STATUS_LABELS[asset.status]} size="md" />}
        actions={
          mayEdit ? (
            <>
              {asset.status === 'down' ? (
                <Button color="green" onClick={() => setAction('up')}>
                  Back in operation
                </Button>
              ) : (
                <Button color="red" variant="light" onClick={() => setAction('down')}>
                  Log downtime
                </Button>
              )}
              <Menu position="bottom-end">
                <Menu.Target>
                  <Button variant="default" rightSection={<IconChevronDown size={14} />}>
                    More
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {can('energy.maintenance', 'create') ? (
                    <Menu.Item onClick={() => navigate(`${WORK_ORDERS}/new?asset=${encodeURIComponent(asset.id)}`)}>New work order</Menu.Item>
                  ) : null}
                  {asset.usageUnit ? <Menu.Item onClick={() => setAction('usage')}>Record usage meter</Menu.Item> : null}
                  {asset.status === 'operational' ? <Menu.Item onClick={() => setAction('standby')}>Put on standby</Menu.Item> : null}
                  {asset.status === 'standby' ? <Menu.Item onClick={() => setAction('operational')}>Back in operation</Menu.Item> : null}
                  <Menu.Item component={Link} to={`${assetPath(asset.id)}/edit`}>
                    Edit
                  </Menu.Item>
                  <Menu.Item color="red" onClick={() => setAction('retire')}>
                    Retire…
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            </>
          ) : null
        }
      />
      <FunctionTabs />
      <ApprovalBanner entity="asset" entityId={asset.id} />
      {openStop ? (
        // What everyone opening a down asset asks first: since when, why, and who is on it.
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} mb="md" title="This asset is down">
          <Group gap={6} wrap="wrap">
            <Text size="sm" span>
              Stopped <DateText value={openStop.startedAt} size="sm" span /> ({formatHours(openStop.hours)} ago) — {DOWNTIME_REASONS[openStop.reason].label}
              {openStop.failure ? ', a failure' : ''}.
            </Text>
            {openStop.workOrderId ? (
              <Anchor component={Link} to={workOrderPath(openStop.workOrderId)} size="sm">
                Repair: {openStop.workOrderNo}
              </Anchor>
            ) : (
              <Text size="sm" span c="dimmed">
                No work order is linked to this stop yet.
              </Text>
            )}
          </Group>
          {openStop.notes ? (
            <Text size="sm" mt={4}>
              {openStop.notes}
            </Text>
          ) : null}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 2, md: 5 }} mb="md">
        <Paper withBorder p="sm">
          <Field label="MTBF (days between failures)">{formatNumber(reliability.mtbfDays, 1)}</Field>
        </Paper>
        <Paper withBorder p="sm">
          <Field label="MTTR (hours to repair)">{formatNumber(reliability.mttrHours, 1)}</Field>
        </Paper>
        <Paper withBorder p="sm">
          <Field label="Failures">{reliability.failures}</Field>
        </Paper>
        <Paper withBorder p="sm">
          <Field label="Downtime">{formatHours(reliability.downtimeHours)}</Field>
        </Paper>
        <Paper withBorder p="sm">
          <Field label="Usage meter">{asset.usageUnit ? `${formatNumber(asset.usageReading, 0)} ${asset.usageUnit}` : 'None'}</Field>
        </Paper>
      </SimpleGrid>
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'details' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="details">Details</Tabs.Tab>
          <Tabs.Tab value="downtime">Downtime log ({downtime.length})</Tabs.Tab>
          <Tabs.Tab value="work">Work orders ({workOrders.length})</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          <Grid>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Paper withBorder p="md">
                <SimpleGrid cols={2} spacing="sm">
                  <Field label="Serial">{asset.serial}</Field>
                  <Field label="In service since">
                    <DateText value={asset.inServiceOn} size="sm" />
                  </Field>
                  {asset.retiredOn ? (
                    <Field label="Retired on">
                      <DateText value={asset.retiredOn} size="sm" />
                    </Field>
                  ) : null}
                  <Field label="Below it">
                    {children.length === 0
                      ? 'Nothing'
                      : children.map((c) => (
                          <Anchor key={c.id} component={Link} to={assetPath(c.id)} size="sm" mr="xs">
                            {c.code}
                          </Anchor>
                        ))}
                  </Field>
                </SimpleGrid>
                <Title order={4} fz="sm" mt="md" mb="xs">
                  Preventive schedules
                </Title>
                {schedules.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    None. <Anchor component={Link} to={`${BASE}/schedules?asset=${encodeURIComponent(asset.id)}`} size="sm">Plan preventive work</Anchor>
                  </Text>
                ) : (
                  schedules.map((s) => (
                    <Text key={s.id} size="sm">
                      {s.title} — {s.kind === 'calendar' ? `every ${s.intervalDays} days, next ${s.nextDueOn}` : `every ${s.intervalUsage} ${s.usageUnit ?? ''}, next at ${s.nextDueUsage}`}
                      {s.active ? '' : ' (paused)'}
                    </Text>
                  ))
                )}
              </Paper>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              {usage.length > 1 ? (
                <Paper withBorder p="md">
                  <Title order={4} fz="sm" mb="xs">
                    Usage meter ({asset.usageUnit})
                  </Title>
                  <LineChart h={180} data={usage} dataKey="readOn" series={[{ name: 'value', label: asset.usageUnit ?? 'usage', color: 'blue.6' }]} aria-label="Usage readings over time" />
                </Paper>
              ) : null}
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="downtime">
          <DataTable
            label="Downtime log"
            rows={downtime}
            rowKey="id"
            columns={
              can('energy.maintenance', 'approve')
                ? [
                    ...downtimeColumns,
                    {
                      key: 'correct',
                      header: '',
                      render: (d) => (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          aria-label={`Correct the stop of ${d.startedAt}`}
                          onClick={(event) => {
                            // The row itself opens the work order.
                            event.stopPropagation();
                            setCorrecting(d);
                          }}
                        >
                          Correct
                        </Button>
                      ),
                    },
                  ]
                : downtimeColumns
            }
            onOpen={(d) => d.workOrderId && navigate(workOrderPath(d.workOrderId))}
            empty={<EmptyState title="No downtime logged" description="When the asset stops, log it with the reason: failures feed MTBF and MTTR." />}
          />
        </Tabs.Panel>
        <Tabs.Panel value="work">
          <DataTable label="Work orders of this asset" rows={workOrders} rowKey="id" columns={workOrderColumns} onOpen={(w) => navigate(workOrderPath(w.id))} empty={<EmptyState title="No work orders" description="Work orders raised on this asset appear here." />} />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditTrail entity="asset" entityId={asset.id} />
        </Tabs.Panel>
      </Tabs>
      <AssetDialog asset={asset} action={action} downtimeVersion={openStop?.version} onClose={() => setAction(null)} />
      <CorrectDowntimeDialog stop={correcting} onClose={() => setCorrecting(null)} />
    </Stack>
  );
}

/* ---------------- form ---------------- */

interface Values extends Record<string, unknown> {
  code: string;
  name: string;
  assetClass: AssetClass;
  siteId: string;
  parentId: string;
  serial: string;
  inServiceOn: string;
  usageUnit: string;
}

/** Register an asset (`/new`) or change one (`/:id/edit`): the same contract checks both. */
export function AssetFormPage() {
  const { id } = useParams();
  const existing = useRpcQuery(assetsGet, { id: id ?? '' }, { enabled: Boolean(id) });
  if (id && existing.isPending) return <Skeleton h={200} />;
  if (id && existing.isError) return <ErrorAlert error={existing.error} />;
  return <AssetForm asset={existing.data?.asset} />;
}

function AssetForm({ asset }: { asset?: Asset }) {
  const navigate = useNavigate();
  const today = useToday();
  const sites = useRpcQuery(sitesList, {});
  const editing = asset !== undefined;
  const create = useRpcMutation(assetsCreate, { notifyErrors: false, invalidate: MAINTENANCE });
  const update = useRpcMutation(assetsUpdate, { notifyErrors: false, invalidate: MAINTENANCE });
  const mutation = editing ? update : create;
  const form = useZodForm<typeof assetsCreate.input | typeof assetsUpdate.input, Values>(
    editing ? assetsUpdate.input : assetsCreate.input,
    {
      code: asset?.code ?? '',
      name: asset?.name ?? '',
      assetClass: asset?.assetClass ?? 'transformer',
      siteId: asset?.siteId ?? '',
      parentId: asset?.parentId ?? '',
      serial: asset?.serial ?? '',
      inServiceOn: asset?.inServiceOn ?? today,
      usageUnit: asset?.usageUnit ?? '',
    },
    (v) =>
      editing
        ? { id: asset.id, version: asset.version, name: v.name, siteId: v.siteId, parentId: v.parentId || null, serial: v.serial, ...(v.usageUnit ? { usageUnit: v.usageUnit } : {}) }
        : {
            code: v.code,
            name: v.name,
            assetClass: v.assetClass,
            siteId: v.siteId,
            inServiceOn: v.inServiceOn,
            ...(v.parentId ? { parentId: v.parentId } : {}),
            ...(v.serial ? { serial: v.serial } : {}),
            ...(v.usageUnit ? { usageUnit: v.usageUnit } : {}),
          },
  );
  const parents = useRpcQuery(assetsList, { siteId: form.values.siteId || undefined, limit: 200 }, { enabled: Boolean(form.values.siteId) });
  const submit = form.onSubmit((input) => {
    const done = { onSuccess: (saved: Asset) => navigate(assetPath(saved.id)), onError: (e: unknown) => form.applyServerErrors(e) };
    if (editing) update.mutate({ input: input as never }, done);
    else create.mutate({ input: input as never }, done);
  });

  return (
    <Stack gap={0}>
      <PageHeader title={editing ? `Edit ${asset.code}` : 'New asset'} />
      <FunctionTabs />
      <Paper withBorder p="md" maw={760}>
        <form onSubmit={submit} aria-label={editing ? 'Edit asset' : 'New asset'}>
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Code" required disabled={editing} {...form.text('code')} data-autofocus={!editing} />
              <TextInput label="Name" required {...form.text('name')} data-autofocus={editing} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select label="Class" data={classOptions} value={form.values.assetClass} onChange={(v) => v && form.setField('assetClass', v as AssetClass)} disabled={editing} allowDeselect={false} />
              <Select
                label="Site"
                data={(sites.data ?? []).map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }))}
                value={form.values.siteId || null}
                onChange={(v) => {
                  form.setField('siteId', v ?? '');
                  form.setField('parentId', '');
                }}
                error={form.errors.siteId}
              />
            </SimpleGrid>
            <Select
              label="Sits under"
              placeholder="Nothing (top of the site)"
              data={(parents.data?.rows ?? []).filter((p) => p.id !== asset?.id && p.status !== 'retired').map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }))}
              value={form.values.parentId || null}
              onChange={(v) => form.setField('parentId', v ?? '')}
              error={form.errors.parentId}
              clearable
              searchable
            />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput label="Serial" {...form.text('serial')} />
              <TextInput type="date" label="In service since" disabled={editing} max={today} {...form.text('inServiceOn')} />
              <TextInput label="Usage meter unit" placeholder="h, km" description="For usage-based schedules" {...form.text('usageUnit')} />
            </SimpleGrid>
            <ErrorAlert error={mutation.error && Object.keys(form.errors).length === 0 ? mutation.error : null} />
            <Group justify="flex-end">
              <Button variant="default" component={Link} to={asset ? assetPath(asset.id) : ASSETS}>
                Cancel
              </Button>
              <Button type="submit" loading={mutation.isPending}>
                {editing ? 'Save changes' : 'Register asset'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
