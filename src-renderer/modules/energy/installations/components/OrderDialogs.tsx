import { TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { z } from 'zod';
import {
  ordersAddAttachment,
  ordersAddNote,
  ordersCancel,
  ordersHold,
  ordersResume,
  type ServiceOrder,
} from '../../../../../src-shared/contracts/energy/installations';
import { useZodForm } from '../../../../api/forms';
import { useRpcMutation } from '../../../../api/hooks';
import { ActionDialog } from '../shared/ui';

export type OrderAction = 'hold' | 'resume' | 'cancel' | 'note' | 'attachment';

const CONTRACTS = { hold: ordersHold, resume: ordersResume, cancel: ordersCancel, note: ordersAddNote, attachment: ordersAddAttachment } as const;

const TITLES: Record<OrderAction, string> = {
  hold: 'Put on hold (waiting on the customer)',
  resume: 'Resume the order',
  cancel: 'Cancel the order',
  note: 'Add a note',
  attachment: 'Attach a document',
};

interface Values extends Record<string, unknown> {
  reason: string;
  note: string;
  text: string;
  fileRef: string;
  label: string;
}

/** The order's side actions: hold and resume (the clock), cancel, notes and attachments. */
export function OrderDialog({ order, action, onClose }: { order: ServiceOrder; action: OrderAction | null; onClose(): void }) {
  if (!action) return null;
  return <OrderActionForm key={action} order={order} action={action} onClose={onClose} />;
}

function OrderActionForm({ order, action, onClose }: { order: ServiceOrder; action: OrderAction; onClose(): void }) {
  const mutation = useRpcMutation(CONTRACTS[action] as typeof ordersHold, { notifyErrors: false });
  const prepare = (v: Values): unknown => {
    switch (action) {
      case 'hold':
      case 'cancel':
        return { id: order.id, version: order.version, reason: v.reason };
      case 'resume':
        return { id: order.id, version: order.version, ...(v.note.trim() ? { note: v.note } : {}) };
      case 'note':
        return { id: order.id, text: v.text };
      case 'attachment':
        return { id: order.id, fileRef: v.fileRef, label: v.label };
    }
  };
  const form = useZodForm<z.ZodType, Values>(CONTRACTS[action].input, { reason: '', note: '', text: '', fileRef: '', label: '' }, prepare);
  const submit = form.onSubmit((input) =>
    mutation.mutate(
      { input: input as never },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `${order.orderNo}: ${TITLES[action].toLowerCase()} — done` });
          onClose();
        },
        onError: (error) => form.applyServerErrors(error),
      },
    ),
  );

  return (
    <ActionDialog
      opened
      title={`${TITLES[action]} · ${order.orderNo}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={action === 'cancel' ? 'Cancel the order' : action === 'hold' ? 'Put on hold' : action === 'resume' ? 'Resume' : 'Add'}
      busy={mutation.isPending}
      error={mutation.error && Object.keys(form.errors).length === 0 ? mutation.error : null}
      danger={action === 'cancel'}
    >
      {action === 'hold' || action === 'cancel' ? (
        <Textarea
          label="Reason"
          description={action === 'hold' ? 'The deadline clock stops until the order is resumed.' : 'Cancelling cannot be undone.'}
          autosize
          minRows={2}
          required
          {...form.text('reason')}
          data-autofocus
        />
      ) : null}
      {action === 'resume' ? <Textarea label="Note" autosize minRows={2} {...form.text('note')} data-autofocus /> : null}
      {action === 'note' ? <Textarea label="Note" autosize minRows={3} required {...form.text('text')} data-autofocus /> : null}
      {action === 'attachment' ? (
        <>
          <TextInput label="What it is" placeholder="Site plan, signed job card, test certificate" required {...form.text('label')} data-autofocus />
          <TextInput label="Where it is" placeholder="\\fileserver\installations\SO-000123\site-plan.pdf" required {...form.text('fileRef')} />
        </>
      ) : null}
    </ActionDialog>
  );
}
