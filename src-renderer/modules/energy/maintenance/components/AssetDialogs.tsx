import { Alert, Checkbox, NumberInput, Select, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import dayjs from 'dayjs';
import type { z } from 'zod';
import {
  DOWNTIME_REASONS,
  assetsRecordUsage,
  assetsRetire,
  assetsSetStatus,
  downtimeCorrect,
  downtimeEnd,
  downtimeStart,
  type Asset,
  type Downtime,
  type DowntimeReason,
  type Priority,
} from '../../../../../src-shared/contracts/energy/maintenance';
import { useZodForm } from '../../../../api/forms';
import { useRpcMutation } from '../../../../api/hooks';
import { ActionDialog, useApprovalRequested, useToday } from '../../installations/shared/ui';
import { priorityOptions, reasonOptions, MAINTENANCE } from '../labels';

/** The reason a stop is logged or corrected with, saying whether it counts as a failure in MTBF and MTTR. */
function DowntimeReasonSelect({ value, onChange, autoFocus }: { value: DowntimeReason; onChange(reason: DowntimeReason): void; autoFocus?: boolean }) {
  return (
    <Select
      label="Reason"
      data={reasonOptions}
      value={value}
      onChange={(v) => v && onChange(v as DowntimeReason)}
      allowDeselect={false}
      description={DOWNTIME_REASONS[value].failure ? 'A failure: it counts towards MTBF and MTTR.' : 'Not a failure: downtime only.'}
      data-autofocus={autoFocus || undefined}
    />
  );
}

export type AssetAction = 'down' | 'up' | 'usage' | 'standby' | 'operational' | 'retire';

const TITLES: Record<AssetAction, string> = {
  down: 'Log downtime',
  up: 'Back in operation',
  usage: 'Record usage meter',
  standby: 'Put on standby',
  operational: 'Back in operation',
  retire: 'Retire asset',
};

const CONTRACTS = {
  down: downtimeStart,
  up: downtimeEnd,
  usage: assetsRecordUsage,
  standby: assetsSetStatus,
  operational: assetsSetStatus,
  retire: assetsRetire,
} as const;

interface Values extends Record<string, unknown> {
  reason: DowntimeReason;
  startedAt: string;
  endedAt: string;
  notes: string;
  raiseWorkOrder: boolean;
  priority: Priority;
  value: number | string;
  readOn: string;
  note: string;
  retiredOn: string;
  retireReason: string;
}

/** A datetime-local value (the PC's wall clock) as the instant the contract takes; empty is "now". */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);

interface AssetDialogProps {
  asset: Asset;
  action: AssetAction | null;
  /** The open stop's version, for ending it. */
  downtimeVersion?: number;
  onClose(): void;
}

export function AssetDialog({ action, ...props }: AssetDialogProps) {
  if (!action) return null;
  return <AssetActionForm key={action} action={action} {...props} />;
}

function AssetActionForm({ asset, action, downtimeVersion, onClose }: AssetDialogProps & { action: AssetAction }) {
  const today = useToday();
  const mutation = useRpcMutation(CONTRACTS[action] as typeof downtimeStart, { notifyErrors: false, invalidate: MAINTENANCE });
  const approvalRequested = useApprovalRequested();
  const prepare = (v: Values): unknown => {
    switch (action) {
      case 'down':
        return {
          assetId: asset.id,
          reason: v.reason,
          raiseWorkOrder: v.raiseWorkOrder,
          priority: v.priority,
          ...(instant(v.startedAt) ? { startedAt: instant(v.startedAt) } : {}),
          ...(v.notes ? { notes: v.notes } : {}),
        };
      case 'up':
        return { id: asset.openDowntimeId, version: downtimeVersion, ...(instant(v.endedAt) ? { endedAt: instant(v.endedAt) } : {}), ...(v.notes ? { notes: v.notes } : {}) };
      case 'usage':
        return { id: asset.id, value: v.value === '' ? undefined : Number(v.value), readOn: v.readOn };
      case 'standby':
      case 'operational':
        return { id: asset.id, version: asset.version, status: action, ...(v.note ? { note: v.note } : {}) };
      case 'retire':
        return { id: asset.id, version: asset.version, retiredOn: v.retiredOn, reason: v.retireReason };
    }
  };
  const form = useZodForm<z.ZodType, Values>(
    CONTRACTS[action].input,
    {
      reason: 'breakdown',
      startedAt: '',
      endedAt: '',
      notes: '',
      raiseWorkOrder: true,
      priority: 'high',
      value: asset.usageReading ?? '',
      readOn: today,
      note: '',
      retiredOn: today,
      retireReason: '',
    },
    prepare,
  );
  const submit = form.onSubmit((input) =>
    mutation.mutate(
      { input: input as never },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `${asset.code}: ${TITLES[action].toLowerCase()} — done` });
          onClose();
        },
        onError: (error) => {
          if (approvalRequested(error, `Retiring ${asset.code}`)) {
            onClose();
            return;
          }
          form.applyServerErrors(error);
        },
      },
    ),
  );
  return (
    <ActionDialog
      opened
      title={`${TITLES[action]} · ${asset.code}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={TITLES[action]}
      busy={mutation.isPending}
      error={mutation.error && Object.keys(form.errors).length === 0 ? mutation.error : null}
      danger={action === 'retire'}
    >
      {action === 'down' ? (
        <>
          <DowntimeReasonSelect value={form.values.reason} onChange={(v) => form.setField('reason', v)} autoFocus />
          <TextInput type="datetime-local" label="Stopped at" description="Leave empty for now." {...form.text('startedAt')} />
          <Textarea label="What happened" autosize minRows={2} {...form.text('notes')} />
          <Checkbox
            label="Raise a corrective work order for the repair"
            checked={form.values.raiseWorkOrder}
            onChange={(e) => form.setField('raiseWorkOrder', e.currentTarget.checked)}
          />
          {form.values.raiseWorkOrder ? (
            <Select label="Work order priority" data={priorityOptions} value={form.values.priority} onChange={(v) => v && form.setField('priority', v as Priority)} allowDeselect={false} w={200} />
          ) : null}
        </>
      ) : null}
      {action === 'up' ? (
        <>
          <TextInput type="datetime-local" label="Back at" description="Leave empty for now." {...form.text('endedAt')} data-autofocus />
          <Textarea label="Notes" autosize minRows={2} {...form.text('notes')} />
        </>
      ) : null}
      {action === 'usage' ? (
        <>
          <NumberInput
            label={`Meter reading (${asset.usageUnit ?? ''})`}
            min={asset.usageReading ?? 0}
            value={form.values.value}
            onChange={(v) => form.setField('value', v)}
            error={form.errors.value}
            data-autofocus
          />
          <TextInput type="date" label="Read on" max={today} {...form.text('readOn')} />
        </>
      ) : null}
      {action === 'standby' || action === 'operational' ? <Textarea label="Note" autosize minRows={2} {...form.text('note')} data-autofocus /> : null}
      {action === 'retire' ? (
        <>
          <Alert color="yellow" variant="light">
            Retiring stops the asset's schedules for good. A supervisor approves it; unfinished work orders and open downtime must be dealt with first.
          </Alert>
          <TextInput type="date" label="Retired on" max={today} {...form.text('retiredOn')} />
          <Textarea label="Reason" required autosize minRows={2} value={form.values.retireReason} onChange={(e) => form.setField('retireReason', e.currentTarget.value)} error={form.errors.reason} data-autofocus />
        </>
      ) : null}
    </ActionDialog>
  );
}

interface CorrectionValues extends Record<string, unknown> {
  reason: DowntimeReason;
  startedAt: string;
  endedAt: string;
  correction: string;
}

/** An instant as a datetime-local value on the PC's wall clock, the way the stop was logged. */
const localInput = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DDTHH:mm') : '');

/**
 * A supervisor corrects a stop logged with the wrong times or reason; MTBF and MTTR follow, and the
 * journal keeps both versions with the reason given here.
 */
export function CorrectDowntimeDialog({ stop, onClose }: { stop: Downtime | null; onClose(): void }) {
  if (!stop) return null;
  return <CorrectDowntimeForm key={stop.id} stop={stop} onClose={onClose} />;
}

function CorrectDowntimeForm({ stop, onClose }: { stop: Downtime; onClose(): void }) {
  const mutation = useRpcMutation(downtimeCorrect, { notifyErrors: false, invalidate: MAINTENANCE });
  const form = useZodForm<typeof downtimeCorrect.input, CorrectionValues>(
    downtimeCorrect.input,
    { reason: stop.reason, startedAt: localInput(stop.startedAt), endedAt: localInput(stop.endedAt), correction: '' },
    (v) => ({
      id: stop.id,
      version: stop.version,
      reason: v.reason,
      startedAt: v.startedAt ? new Date(v.startedAt).toISOString() : '',
      endedAt: stop.endedAt === null ? null : v.endedAt ? new Date(v.endedAt).toISOString() : '',
      correction: v.correction,
    }),
  );
  const submit = form.onSubmit((input) =>
    mutation.mutate(
      { input },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `${stop.assetCode}: stop corrected` });
          onClose();
        },
        onError: (error) => form.applyServerErrors(error),
      },
    ),
  );
  return (
    <ActionDialog
      opened
      title={`Correct a stop · ${stop.assetCode}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Save correction"
      busy={mutation.isPending}
      error={mutation.error && Object.keys(form.errors).length === 0 ? mutation.error : null}
    >
      <DowntimeReasonSelect value={form.values.reason} onChange={(v) => form.setField('reason', v)} />
      <TextInput type="datetime-local" label="Stopped at" required {...form.text('startedAt')} data-autofocus />
      {stop.endedAt === null ? (
        <Text size="sm" c="dimmed">
          Still down: end the stop with “Back in operation”.
        </Text>
      ) : (
        <TextInput type="datetime-local" label="Back at" required {...form.text('endedAt')} />
      )}
      <Textarea label="Why the correction" required autosize minRows={2} {...form.text('correction')} />
    </ActionDialog>
  );
}
