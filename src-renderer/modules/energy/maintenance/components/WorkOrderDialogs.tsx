import { Alert, Checkbox, NumberInput, Select, SimpleGrid, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { z } from 'zod';
import {
  partsList,
  staffList,
  workOrdersCancel,
  workOrdersClose,
  workOrdersComplete,
  workOrdersHold,
  workOrdersIssuePart,
  workOrdersLogLabour,
  workOrdersStart,
  workOrdersUpdate,
  type Priority,
  type WorkOrder,
} from '../../../../../src-shared/contracts/energy/maintenance';
import { useZodForm } from '../../../../api/forms';
import { useRpcMutation, useRpcQuery, useSession } from '../../../../api/hooks';
import { formatMoney } from '../../../../components';
import { MAINTENANCE, priorityOptions } from '../labels';
import { ActionDialog, useApprovalRequested, useToday } from '../../installations/shared/ui';

export type WorkOrderAction = 'start' | 'hold' | 'labour' | 'part' | 'complete' | 'close' | 'cancel' | 'edit';

const CONTRACTS = {
  start: workOrdersStart,
  hold: workOrdersHold,
  labour: workOrdersLogLabour,
  part: workOrdersIssuePart,
  complete: workOrdersComplete,
  close: workOrdersClose,
  cancel: workOrdersCancel,
  edit: workOrdersUpdate,
} as const;

export const ACTION_TITLES: Record<WorkOrderAction, string> = {
  start: 'Start work',
  hold: 'Put on hold',
  labour: 'Book labour',
  part: 'Issue parts',
  complete: 'Complete',
  close: 'Close',
  cancel: 'Cancel',
  edit: 'Edit or assign',
};

/** What the submit button says once the form is filled in (the dialog title names the action). */
const SUBMIT_LABELS: Partial<Record<WorkOrderAction, string>> = { edit: 'Save changes', cancel: 'Cancel the work order', close: 'Close the work order' };

interface Values extends Record<string, unknown> {
  note: string;
  reason: string;
  hours: number | string;
  workedOn: string;
  partId: string;
  quantity: number | string;
  completionNotes: string;
  endDowntime: boolean;
  /** Labour: who worked (empty = the signed-in user); edit: who the work is assigned to (empty = nobody). */
  userId: string;
  title: string;
  description: string;
  priority: Priority;
  dueOn: string;
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
  const { user } = useSession();
  const parts = useRpcQuery(partsList, {}, { enabled: action === 'part' });
  // Assignees and people labour is booked for: those who may work on work orders.
  const staff = useRpcQuery(staffList, {}, { enabled: action === 'labour' || action === 'edit' });
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
        return {
          id: workOrder.id,
          hours: v.hours === '' ? undefined : Number(v.hours),
          workedOn: v.workedOn,
          ...(v.userId && v.userId !== user.id ? { userId: v.userId } : {}),
          ...(v.note.trim() ? { note: v.note } : {}),
        };
      case 'part':
        return { id: workOrder.id, partId: v.partId, quantity: v.quantity === '' ? undefined : Number(v.quantity) };
      case 'complete':
        return { ...ref, completionNotes: v.completionNotes, endDowntime: v.endDowntime };
      case 'edit':
        // Only what changed travels, so the audit event shows exactly what was edited.
        return {
          ...ref,
          ...(v.title !== workOrder.title ? { title: v.title } : {}),
          ...(v.description !== (workOrder.description ?? '') ? { description: v.description } : {}),
          ...(v.priority !== workOrder.priority ? { priority: v.priority } : {}),
          ...(v.dueOn && v.dueOn !== (workOrder.dueOn ?? '') ? { dueOn: v.dueOn } : {}),
          ...((v.userId || null) !== workOrder.assignedTo ? { assignedTo: v.userId || null } : {}),
        };
    }
  };
  const form = useZodForm<z.ZodType, Values>(
    CONTRACTS[action].input,
    {
      note: '',
      reason: '',
      hours: '',
      workedOn: today,
      partId: '',
      quantity: 1,
      completionNotes: '',
      endDowntime: true,
      userId: action === 'edit' ? (workOrder.assignedTo ?? '') : '',
      title: workOrder.title,
      description: workOrder.description ?? '',
      priority: workOrder.priority,
      dueOn: workOrder.dueOn ?? '',
    },
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
      submitLabel={SUBMIT_LABELS[action] ?? ACTION_TITLES[action]}
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
          <Select
            label="Worked by"
            description="Leave empty for your own hours."
            placeholder={user.displayName}
            data={(staff.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.roleName})` }))}
            value={form.values.userId || null}
            onChange={(value) => form.setField('userId', value ?? '')}
            error={form.errors.userId}
            searchable
            clearable
          />
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
      {action === 'edit' ? (
        <>
          <TextInput label="What is to be done" required {...form.text('title')} data-autofocus />
          <Textarea label="Details" autosize minRows={2} {...form.text('description')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Priority"
              data={priorityOptions}
              value={form.values.priority}
              onChange={(value) => value && form.setField('priority', value as Priority)}
              allowDeselect={false}
              error={form.errors.priority}
            />
            <TextInput type="date" label="Due" {...form.text('dueOn')} />
          </SimpleGrid>
          <Select
            label="Assigned to"
            placeholder="Nobody yet"
            data={(staff.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.roleName})` }))}
            value={form.values.userId || null}
            onChange={(value) => form.setField('userId', value ?? '')}
            error={form.errors.assignedTo}
            searchable
            clearable
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
