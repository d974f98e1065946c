import { Alert, Anchor, Badge, Button, Group, List, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCalendarPlus, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  assetsList,
  generatePm,
  schedulesCreate,
  schedulesList,
  schedulesUpdate,
  type Priority,
  type Schedule,
  type ScheduleKind,
  type WorkOrder,
} from '../../../../../src-shared/contracts/energy/maintenance';
import { useZodForm } from '../../../../api/forms';
import { useRpcMutation, useRpcQuery, useSession } from '../../../../api/hooks';
import { DataTable, DateText, EmptyState, ErrorAlert, PageHeader, type DataColumn } from '../../../../components';
import { ActionDialog, formatHours, useToday } from '../../installations/shared/ui';
import { FunctionTabs } from '../components/FunctionTabs';
import { PRIORITY_LABELS, assetPath, priorityOptions, workOrderPath, MAINTENANCE } from '../labels';

/**
 * Preventive schedules, by calendar interval or by usage, and the generator that turns what falls
 * due within the horizon into work orders ("Generate now"; running it twice creates nothing twice).
 */
export function SchedulesPage() {
  const { can } = useSession();
  const [params] = useSearchParams();
  const schedules = useRpcQuery(schedulesList, {});
  const [creating, setCreating] = useState(params.get('asset') !== null);
  const [editing, setEditing] = useState<Schedule | null>(null);
  const [generated, setGenerated] = useState<{ created: WorkOrder[]; horizonEnd: string } | null>(null);
  const generate = useRpcMutation(generatePm, { invalidate: MAINTENANCE });
  const toggle = useRpcMutation(schedulesUpdate, { invalidate: MAINTENANCE });
  const mayEdit = can('energy.maintenance', 'edit');

  const columns: DataColumn<Schedule>[] = [
    { key: 'title', header: 'Schedule', render: (s) => <Text size="sm" fw={500}>{s.title}</Text> },
    {
      key: 'asset',
      header: 'Asset',
      render: (s) => (
        <Anchor component={Link} to={assetPath(s.assetId)} size="sm" onClick={(e) => e.stopPropagation()}>
          {s.assetCode} · {s.assetName}
        </Anchor>
      ),
    },
    { key: 'every', header: 'Every', render: (s) => (s.kind === 'calendar' ? `${s.intervalDays} days` : `${s.intervalUsage?.toLocaleString()} ${s.usageUnit ?? ''}`) },
    {
      key: 'next',
      header: 'Next due',
      render: (s) => (s.kind === 'calendar' ? <DateText value={s.nextDueOn} size="sm" /> : `at ${s.nextDueUsage?.toLocaleString()} ${s.usageUnit ?? ''}`),
    },
    { key: 'estimate', header: 'Estimate', align: 'right', render: (s) => formatHours(s.estimatedHours) },
    { key: 'priority', header: 'Priority', render: (s) => PRIORITY_LABELS[s.priority] },
    {
      key: 'active',
      header: 'Active',
      render: (s) =>
        mayEdit ? (
          <Switch
            aria-label={`${s.title} on ${s.assetCode} active`}
            checked={s.active}
            onClick={(e) => e.stopPropagation()}
            onChange={(e) => toggle.mutate({ input: { id: s.id, version: s.version, active: e.currentTarget.checked } })}
          />
        ) : s.active ? (
          'Yes'
        ) : (
          'Paused'
        ),
    },
  ];

  return (
    <Stack gap={0}>
      <PageHeader
        title="Preventive schedules"
        subtitle="Calendar schedules fall due every N days; usage schedules at every N hours or kilometres, projected from the asset's recent use."
        actions={
          <>
            {can('energy.maintenance', 'create') ? (
              <Button variant="default" leftSection={<IconCalendarPlus size={16} />} onClick={() => setCreating(true)}>
                New schedule
              </Button>
            ) : null}
            {can('energy.maintenance', 'create') ? (
              <Button
                leftSection={<IconPlayerPlay size={16} />}
                loading={generate.isPending}
                onClick={() =>
                  generate.mutate(
                    { input: {} },
                    {
                      onSuccess: (result) => {
                        setGenerated(result);
                        notifications.show({ color: 'green', message: `${result.created.length} preventive work order${result.created.length === 1 ? '' : 's'} generated` });
                      },
                    },
                  )
                }
              >
                Generate due work orders now
              </Button>
            ) : null}
          </>
        }
      />
      <FunctionTabs />
      {generated ? (
        <Alert color={generated.created.length ? 'green' : 'gray'} mb="md" withCloseButton onClose={() => setGenerated(null)} title={`Generated up to ${generated.horizonEnd}`}>
          {generated.created.length === 0 ? (
            'Nothing new falls due within the horizon: every occurrence already has its work order.'
          ) : (
            <List size="sm">
              {generated.created.map((w) => (
                <List.Item key={w.id}>
                  <Anchor component={Link} to={workOrderPath(w.id)} size="sm">
                    {w.woNo}
                  </Anchor>{' '}
                  {w.title} on {w.assetCode}, due {w.dueOn}
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      ) : null}
      {schedules.isError ? <ErrorAlert error={schedules.error} onRetry={() => void schedules.refetch()} /> : null}
      <DataTable
        label="Preventive schedules"
        rows={schedules.data ?? []}
        rowKey="id"
        columns={columns}
        onOpen={mayEdit ? (s) => setEditing(s) : undefined}
        loading={schedules.isPending}
        empty={<EmptyState title="No preventive schedules" description="Plan recurring work on an asset: an oil test every 91 days, a service every 1,000 running hours." />}
      />
      {mayEdit && (schedules.data?.length ?? 0) > 0 ? (
        <Text size="xs" c="dimmed" mt="xs">
          Open a schedule (click, or Enter on its row) to change its work, interval, estimate or priority.
        </Text>
      ) : null}
      <ScheduleDialog opened={creating} assetId={params.get('asset') ?? ''} onClose={() => setCreating(false)} />
      {editing ? <EditScheduleDialog key={editing.id} schedule={editing} onClose={() => setEditing(null)} /> : null}
    </Stack>
  );
}

interface Values extends Record<string, unknown> {
  assetId: string;
  title: string;
  kind: ScheduleKind;
  intervalDays: number | string;
  startOn: string;
  intervalUsage: number | string;
  firstDueUsage: number | string;
  estimatedHours: number | string;
  priority: Priority;
}

const num = (v: number | string) => (v === '' ? undefined : Number(v));

function ScheduleDialog({ opened, assetId, onClose }: { opened: boolean; assetId: string; onClose(): void }) {
  const today = useToday();
  const assets = useRpcQuery(assetsList, { limit: 500 }, { enabled: opened });
  const create = useRpcMutation(schedulesCreate, { notifyErrors: false, invalidate: MAINTENANCE });
  const form = useZodForm(
    schedulesCreate.input,
    { assetId, title: '', kind: 'calendar', intervalDays: 30, startOn: today, intervalUsage: '', firstDueUsage: '', estimatedHours: 2, priority: 'normal' } as Values,
    (v: Values) => ({
      assetId: v.assetId,
      title: v.title,
      kind: v.kind,
      estimatedHours: num(v.estimatedHours),
      priority: v.priority,
      ...(v.kind === 'calendar' ? { intervalDays: num(v.intervalDays), startOn: v.startOn || undefined } : { intervalUsage: num(v.intervalUsage), ...(num(v.firstDueUsage) !== undefined ? { firstDueUsage: num(v.firstDueUsage) } : {}) }),
    }),
  );
  const chosen = assets.data?.rows.find((a) => a.id === form.values.assetId);
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
    <ActionDialog opened={opened} title="New preventive schedule" onClose={onClose} onSubmit={submit} submitLabel="Create schedule" busy={create.isPending} error={create.error && Object.keys(form.errors).length === 0 ? create.error : null}>
      <Select
        label="Asset"
        searchable
        data={(assets.data?.rows ?? []).filter((a) => a.status !== 'retired').map((a) => ({ value: a.id, label: `${a.code} · ${a.name}${a.usageUnit ? ` (${a.usageUnit} meter)` : ''}` }))}
        value={form.values.assetId || null}
        onChange={(v) => form.setField('assetId', v ?? '')}
        error={form.errors.assetId}
        data-autofocus
      />
      <TextInput label="Work to do" placeholder="Quarterly oil test" required {...form.text('title')} />
      <SegmentedControl
        aria-label="Falls due by"
        value={form.values.kind}
        onChange={(v) => form.setField('kind', v as ScheduleKind)}
        data={[
          { value: 'calendar', label: 'Calendar interval' },
          { value: 'usage', label: 'Usage', disabled: chosen !== undefined && !chosen.usageUnit },
        ]}
      />
      {form.values.kind === 'calendar' ? (
        <SimpleGrid cols={2}>
          <NumberInput label="Every (days)" min={1} value={form.values.intervalDays} onChange={(v) => form.setField('intervalDays', v)} error={form.errors.intervalDays} />
          <TextInput type="date" label="First due on" {...form.text('startOn')} />
        </SimpleGrid>
      ) : (
        <SimpleGrid cols={2}>
          <NumberInput label={`Every (${chosen?.usageUnit ?? 'units'})`} min={1} value={form.values.intervalUsage} onChange={(v) => form.setField('intervalUsage', v)} error={form.errors.intervalUsage} />
          <NumberInput
            label="First due at"
            description={chosen?.usageReading !== null && chosen?.usageReading !== undefined ? `Meter now ${chosen.usageReading}` : 'Default: current reading + interval'}
            min={0}
            value={form.values.firstDueUsage}
            onChange={(v) => form.setField('firstDueUsage', v)}
          />
        </SimpleGrid>
      )}
      <SimpleGrid cols={2}>
        <NumberInput label="Estimated hours" min={0} step={0.5} value={form.values.estimatedHours} onChange={(v) => form.setField('estimatedHours', v)} error={form.errors.estimatedHours} />
        <Select label="Priority" data={priorityOptions} value={form.values.priority} onChange={(v) => v && form.setField('priority', v as Priority)} allowDeselect={false} />
      </SimpleGrid>
      <Group gap={4}>
        <Badge variant="light" color="gray">
          Tip
        </Badge>
        <Text size="xs" c="dimmed">
          Nothing is created until the generator runs; it creates only what falls due within its horizon.
        </Text>
      </Group>
    </ActionDialog>
  );
}

interface EditValues extends Record<string, unknown> {
  title: string;
  interval: number | string;
  estimatedHours: number | string;
  priority: Priority;
}

/**
 * Change a schedule's work, interval, estimate or priority. The next due date or reading stays as
 * it is: a new interval counts from the next occurrence on, so nothing already generated moves.
 */
function EditScheduleDialog({ schedule, onClose }: { schedule: Schedule; onClose(): void }) {
  const update = useRpcMutation(schedulesUpdate, { notifyErrors: false, invalidate: MAINTENANCE });
  const calendar = schedule.kind === 'calendar';
  const form = useZodForm(
    schedulesUpdate.input,
    {
      title: schedule.title,
      interval: (calendar ? schedule.intervalDays : schedule.intervalUsage) ?? '',
      estimatedHours: schedule.estimatedHours,
      priority: schedule.priority,
    } as EditValues,
    (v: EditValues) => ({
      id: schedule.id,
      version: schedule.version,
      title: v.title,
      ...(calendar ? { intervalDays: num(v.interval) } : { intervalUsage: num(v.interval) }),
      estimatedHours: num(v.estimatedHours),
      priority: v.priority,
    }),
  );
  const submit = form.onSubmit((input) =>
    update.mutate(
      { input },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `${schedule.title} on ${schedule.assetCode} saved` });
          onClose();
        },
        onError: (e) => form.applyServerErrors(e),
      },
    ),
  );
  return (
    <ActionDialog
      opened
      title={`Edit schedule · ${schedule.assetCode}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Save changes"
      busy={update.isPending}
      error={update.error && Object.keys(form.errors).length === 0 ? update.error : null}
    >
      <TextInput label="Work to do" required {...form.text('title')} data-autofocus />
      <SimpleGrid cols={2}>
        <NumberInput
          label={calendar ? 'Every (days)' : `Every (${schedule.usageUnit ?? 'units'})`}
          min={1}
          value={form.values.interval}
          onChange={(v) => form.setField('interval', v)}
          error={calendar ? form.errors.intervalDays : form.errors.intervalUsage}
        />
        <NumberInput label="Estimated hours" min={0} step={0.5} value={form.values.estimatedHours} onChange={(v) => form.setField('estimatedHours', v)} error={form.errors.estimatedHours} />
      </SimpleGrid>
      <Select label="Priority" data={priorityOptions} value={form.values.priority} onChange={(v) => v && form.setField('priority', v as Priority)} allowDeselect={false} />
      <Text size="xs" c="dimmed">
        Next due {calendar ? `on ${schedule.nextDueOn ?? '—'}` : `at ${schedule.nextDueUsage?.toLocaleString() ?? '—'} ${schedule.usageUnit ?? ''}`}: a new interval counts from that occurrence on. Pause the
        schedule with its Active switch.
      </Text>
    </ActionDialog>
  );
}
