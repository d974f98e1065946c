import { Alert, Checkbox, NumberInput, Select, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { z } from 'zod';
import {
  partsList,
  workOrdersCancel,
  workOrdersClose,
  workOrdersComplete,
  workOrdersHold,
  workOrdersIssuePart,
  workOrdersLogLabour,
  workOrdersStart,
  type WorkOrder,
} from '../../../../../src-shared/contracts/energy/maintenance';
import { useZodForm } from '../../../../api/forms';
import { useRpcMutation, useRpcQuery } from '../../../../api/hooks';
import { formatMoney } from '../../../../components';
import { MAINTENANCE } from '../labels';
import { ActionDialog, useApprovalRequested, useToday } from '../../installations/shared/ui';

export type WorkOrderAction = 'start' | 'hold' | 'labour' | 'part' | 'complete' | 'close' | 'cancel';

const CONTRACTS = {
  start: workOrdersStart,
  hold: workOrdersHold,
  labour: workOrdersLogLabour,
  part: workOrdersIssuePart,
  complete: workOrdersComplete,
  close: workOrdersClose,
  cancel: workOrdersCancel,
} as const;

export const ACTION_TITLES: Record<WorkOrderAction, string> = {
  start: 'Start work',
  hold: 'Put on hold',
  labour: 'Book labour',
  part: 'Issue parts',
  complete: 'Complete',
  close: 'Close',
  cancel: 'Cancel',
};

interface Values extends Record<string, unknown> {
  note: string;
  reason: string;
  hours: number | string;
  workedOn: string;
  partId: string;
  quantity: number | string;
  completionNotes: string;
  endDowntime: boolean;
}

/** The form of one work order action, validated by the same contract the server enforces. */
export function WorkOrderDialog({ workOrder, action, closeApprovalAbove, onClose }: { workOrder: WorkOrder; action: WorkOrderAction | null; closeApprovalAbove: number; onClose(): void }) {
  if (!action) return null;
  return <ActionForm key={action} workOrder={workOrder} action={action} closeApprovalAbove={closeApprovalAbove} onClose={onClose} />;
}

function ActionForm({ workOrder, action, closeApprovalAbove, onClose }: { workOrder: WorkOrder; action: WorkOrderAction; closeApprovalAbove: number; onClose(): void }) {
  const today = useToday();
  const mutation = useRpcMutation(CONTRACTS[action] as typeof workOrdersStart, { notifyErrors: false, invalidate: MAINTENANCE });
  const approvalRequested = useApprovalRequested();
  const parts = useRpcQuery(partsList, {}, { enabled: action === 'part' });
  const prepare = (v: Values): unknown => {
    const ref = { id: workOrder.id, version: workOrder.version };
    switch (action) {
      case 'start':
      case 'close':
        return { ...ref, ...(v.note.trim() ? { note: v.note } : {}) };
      case 'hold':
      case 'cancel':
        return { ...ref, reason: v.reason };
      case 'labour':
        return { id: workOrder.id, hours: v.hours === '' ? undefined : Number(v.hours), workedOn: v.workedOn, ...(v.note.trim() ? { note: v.note } : {}) };
      case 'part':
        return { id: workOrder.id, partId: v.partId, quantity: v.quantity === '' ? undefined : Number(v.quantity) };
      case 'complete':
        return { ...ref, completionNotes: v.completionNotes, endDowntime: v.endDowntime };
    }
  };
  const form = useZodForm<z.ZodType, Values>(
    CONTRACTS[action].input,
    { note: '', reason: '', hours: '', workedOn: today, partId: '', quantity: 1, completionNotes: '', endDowntime: true },
    prepare,
  );
  const submit = form.onSubmit((input) =>
    mutation.mutate(
      { input: input as never },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `${workOrder.woNo}: ${ACTION_TITLES[action].toLowerCase()} — done` });
          onClose();
        },
        onError: (error) => {
          if (approvalRequested(error, `Closing ${workOrder.woNo}`)) {
            onClose();
            return;
          }
          form.applyServerErrors(error);
        },
      },
    ),
  );
  const chosenPart = parts.data?.rows.find((p) => p.id === form.values.partId);

  return (
    <ActionDialog
      opened
      title={`${ACTION_TITLES[action]} · ${workOrder.woNo}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={ACTION_TITLES[action]}
      busy={mutation.isPending}
      error={mutation.error && Object.keys(form.errors).length === 0 ? mutation.error : null}
      danger={action === 'cancel'}
    >
      {action === 'start' ? <Textarea label="Note" autosize minRows={1} {...form.text('note')} data-autofocus /> : null}
      {action === 'hold' || action === 'cancel' ? (
        <Textarea label="Reason" required autosize minRows={2} {...form.text('reason')} data-autofocus />
      ) : null}
      {action === 'labour' ? (
        <>
          <NumberInput
            label="Hours"
            description="In quarter hours: 0.25, 0.5, 1.75"
            step={0.25}
            min={0}
            decimalScale={2}
            value={form.values.hours}
            onChange={(value) => form.setField('hours', value)}
            error={form.errors.hours}
            data-autofocus
          />
          <TextInput type="date" label="Worked on" max={today} {...form.text('workedOn')} />
          <TextInput label="Note" {...form.text('note')} />
        </>
      ) : null}
      {action === 'part' ? (
        <>
          <Select
            label="Part"
            searchable
            data={(parts.data?.rows ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.name} (${p.onHand} ${p.unit} in stock)`, disabled: p.onHand === 0 }))}
            value={form.values.partId || null}
            onChange={(value) => form.setField('partId', value ?? '')}
            error={form.errors.partId}
            nothingFoundMessage="No part matches"
            data-autofocus
          />
          <NumberInput label="Quantity" min={1} max={chosenPart?.onHand} value={form.values.quantity} onChange={(value) => form.setField('quantity', value)} error={form.errors.quantity} />
          {chosenPart ? (
            <Text size="xs" c="dimmed">
              At {formatMoney(chosenPart.unitCost)} per {chosenPart.unit}; stock cannot go below zero — a shortfall needs a counted adjustment approved first.
            </Text>
          ) : null}
        </>
      ) : null}
      {action === 'complete' ? (
        <>
          <Textarea label="What was done" required autosize minRows={3} {...form.text('completionNotes')} data-autofocus />
          <Checkbox
            label="The asset is back in operation (ends its open downtime now)"
            checked={form.values.endDowntime}
            onChange={(event) => form.setField('endDowntime', event.currentTarget.checked)}
          />
        </>
      ) : null}
      {action === 'close' ? (
        <>
          {workOrder.totalCost > closeApprovalAbove ? (
            <Alert color="yellow" variant="light">
              The cost of {formatMoney(workOrder.totalCost)} is above {formatMoney(closeApprovalAbove)}: a supervisor approves the closing.
            </Alert>
          ) : null}
          <Textarea label="Note" autosize minRows={1} {...form.text('note')} data-autofocus />
        </>
      ) : null}
    </ActionDialog>
  );
}
