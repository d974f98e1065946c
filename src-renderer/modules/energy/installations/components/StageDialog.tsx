import { ActionIcon, Alert, Checkbox, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { z } from 'zod';
import {
  ordersApprove,
  ordersClose,
  ordersCommission,
  ordersInstall,
  ordersSchedule,
  ordersSurvey,
  routeOptions,
  type ChecklistItem,
  type ServiceOrder,
  type SurveyResult,
} from '../../../../../src-shared/contracts/energy/installations';
import { asRpcError } from '../../../../api/errors';
import { useZodForm } from '../../../../api/forms';
import { useRpcMutation, useRpcQuery } from '../../../../api/hooks';
import { NEXT_STEP_LABEL, surveyResultOptions } from '../labels';
import { ActionDialog, useApprovalRequested, useToday } from '../shared/ui';

export type StageStep = 'survey' | 'approve' | 'schedule' | 'install' | 'commission' | 'close';

/** The step an order's stage calls for next (a surveyed order can also be surveyed again). */
export const STEP_OF_STAGE: Partial<Record<ServiceOrder['stage'], StageStep>> = {
  requested: 'survey',
  surveyed: 'approve',
  approved: 'schedule',
  scheduled: 'install',
  installed: 'commission',
  commissioned: 'close',
};

const CONTRACTS = {
  survey: ordersSurvey,
  approve: ordersApprove,
  schedule: ordersSchedule,
  install: ordersInstall,
  commission: ordersCommission,
  close: ordersClose,
} as const;

interface StageDialogProps {
  order: ServiceOrder;
  step: StageStep | null;
  checklist: ChecklistItem[];
  onClose(): void;
}

/**
 * The form of a stage step: the stage's required fields and its checklist, validated by the same
 * contract the server enforces. Approval is sent to a supervisor; the banner on the order shows
 * it waiting.
 */
export function StageDialog({ order, step, checklist, onClose }: StageDialogProps) {
  if (!step) return null;
  return <StageForm key={`${order.id}:${step}`} order={order} step={step} checklist={checklist} onClose={onClose} />;
}

interface Values extends Record<string, unknown> {
  surveyResult: SurveyResult;
  surveyNotes: string;
  note: string;
  crew: string;
  scheduledDate: string;
  installedOn: string;
  meterSerial: string;
  meterDials: number | string;
  meterMultiplier: number | string;
  notes: string;
  commissionedOn: string;
  initialRead: number | string;
  removalRead: number | string;
  accountNo: string;
  routeId: string;
  category: string;
}

interface MaterialRow {
  item: string;
  quantity: number | string;
  unit: string;
}

const num = (value: number | string) => (value === '' ? undefined : Number(value));
const opt = (value: string) => (value.trim() === '' ? undefined : value);

function StageForm({ order, step, checklist, onClose }: { order: ServiceOrder; step: StageStep; checklist: ChecklistItem[]; onClose(): void }) {
  const today = useToday();
  const [checked, setChecked] = useState<string[]>([]);
  const [materials, setMaterials] = useState<MaterialRow[]>(
    order.materials.length ? order.materials : [{ item: '', quantity: '', unit: 'each' }],
  );
  const routes = useRpcQuery(routeOptions, {}, { enabled: step === 'commission' && order.type === 'new_connection' });
  const mutation = useRpcMutation(CONTRACTS[step] as typeof ordersSurvey, { notifyErrors: false });
  const approvalRequested = useApprovalRequested();

  const prepare = (v: Values): unknown => {
    const base = { id: order.id, version: order.version, checked };
    switch (step) {
      case 'survey':
        return {
          ...base,
          surveyResult: v.surveyResult,
          surveyNotes: v.surveyNotes,
          materials: materials.filter((m) => m.item.trim() !== '').map((m) => ({ item: m.item, quantity: num(m.quantity), unit: m.unit || 'each' })),
        };
      case 'approve':
        return { ...base, ...(opt(v.note) ? { note: v.note } : {}) };
      case 'schedule':
        return { ...base, crew: v.crew, scheduledDate: v.scheduledDate };
      case 'install':
        return { ...base, installedOn: v.installedOn, meterSerial: v.meterSerial, meterDials: num(v.meterDials), meterMultiplier: num(v.meterMultiplier), ...(opt(v.notes) ? { notes: v.notes } : {}) };
      case 'commission':
        return {
          ...base,
          commissionedOn: v.commissionedOn,
          ...(num(v.initialRead) !== undefined ? { initialRead: num(v.initialRead) } : {}),
          ...(num(v.removalRead) !== undefined ? { removalRead: num(v.removalRead) } : {}),
          ...(opt(v.accountNo) ? { accountNo: v.accountNo } : {}),
          ...(opt(v.routeId) ? { routeId: v.routeId } : {}),
          ...(opt(v.category) ? { category: v.category } : {}),
        };
      case 'close':
        return base;
    }
  };

  const form = useZodForm<z.ZodType, Values>(
    CONTRACTS[step].input,
    {
      surveyResult: order.surveyResult ?? 'feasible',
      surveyNotes: order.surveyNotes ?? '',
      note: '',
      crew: order.crew ?? '',
      scheduledDate: order.scheduledDate && order.scheduledDate >= today ? order.scheduledDate : today,
      installedOn: today,
      meterSerial: order.meterSerial ?? '',
      meterDials: order.meterDials ?? 5,
      meterMultiplier: order.meterMultiplier ?? 1,
      notes: '',
      commissionedOn: today,
      initialRead: '',
      removalRead: '',
      accountNo: '',
      routeId: order.routeId ?? '',
      category: 'residential',
    },
    prepare,
  );

  const submit = form.onSubmit((input) =>
    mutation.mutate(
      { input: input as never },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `${order.orderNo}: ${NEXT_STEP_LABEL[order.stage] ?? 'saved'} done` });
          onClose();
        },
        onError: (error) => {
          if (approvalRequested(error, `Approval of ${order.orderNo}`)) {
            onClose();
            return;
          }
          form.applyServerErrors(error);
        },
      },
    ),
  );

  const serverIssues = asRpcError(mutation.error ?? {}).details?.issues ?? [];
  const checklistError = (key: string) => serverIssues.find((i) => i.path === `checked.${key}`)?.message;
  const fieldErrorsShown = Object.keys(form.errors).length > 0 || serverIssues.some((i) => i.path.startsWith('checked.'));
  const title = step === 'survey' && order.stage === 'surveyed' ? 'Survey again' : (NEXT_STEP_LABEL[order.stage] ?? 'Next step');
  const disconnection = order.type === 'disconnection';
  const removesMeter = order.type === 'upgrade' || order.type === 'relocation' || disconnection;

  return (
    <ActionDialog
      opened
      title={`${title} · ${order.orderNo}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={step === 'approve' ? 'Send for approval' : title}
      busy={mutation.isPending}
      error={mutation.error && !fieldErrorsShown ? mutation.error : null}
    >
      {step === 'survey' ? (
        <>
          <Select
            label="Survey result"
            data={surveyResultOptions}
            value={form.values.surveyResult}
            onChange={(value) => value && form.setField('surveyResult', value as SurveyResult)}
            allowDeselect={false}
            error={form.errors.surveyResult}
            data-autofocus
          />
          <Textarea label="What the survey found" autosize minRows={2} required {...form.text('surveyNotes')} />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Materials
            </Text>
            {materials.map((m, i) => (
              <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
                <TextInput
                  aria-label={`Material ${i + 1}`}
                  placeholder="Item"
                  value={m.item}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setMaterials((rows) => rows.map((r, j) => (j === i ? { ...r, item: value } : r)));
                  }}
                  error={form.errors[`materials.${i}.item`]}
                  style={{ flex: 1 }}
                />
                <NumberInput
                  aria-label={`Quantity of material ${i + 1}`}
                  placeholder="Qty"
                  value={m.quantity}
                  min={0}
                  onChange={(value) => setMaterials((rows) => rows.map((r, j) => (j === i ? { ...r, quantity: value } : r)))}
                  error={form.errors[`materials.${i}.quantity`]}
                  w={100}
                />
                <TextInput
                  aria-label={`Unit of material ${i + 1}`}
                  value={m.unit}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setMaterials((rows) => rows.map((r, j) => (j === i ? { ...r, unit: value } : r)));
                  }}
                  w={80}
                />
                <ActionIcon variant="subtle" color="gray" aria-label={`Remove material ${i + 1}`} onClick={() => setMaterials((rows) => rows.filter((_, j) => j !== i))} mt={6}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            {form.errors.materials ? (
              <Text size="xs" c="red">
                {form.errors.materials}
              </Text>
            ) : null}
            <Group>
              <ActionIcon variant="light" aria-label="Add material" onClick={() => setMaterials((rows) => [...rows, { item: '', quantity: '', unit: 'each' }])}>
                <IconPlus size={16} />
              </ActionIcon>
            </Group>
          </Stack>
        </>
      ) : null}

      {step === 'approve' ? (
        <>
          <Alert color="yellow" variant="light">
            Approving commits a crew, materials and network capacity, so a supervisor decides it. The order moves on once they approve.
          </Alert>
          <Textarea label="Note for the approver" autosize minRows={2} {...form.text('note')} data-autofocus />
        </>
      ) : null}

      {step === 'schedule' ? (
        <SimpleGrid cols={2}>
          <TextInput label="Crew" required {...form.text('crew')} data-autofocus />
          <TextInput type="date" label="Date" required min={today} {...form.text('scheduledDate')} />
        </SimpleGrid>
      ) : null}

      {step === 'install' ? (
        <>
          <SimpleGrid cols={2}>
            <TextInput type="date" label="Installed on" required max={today} {...form.text('installedOn')} />
            <TextInput
              label={disconnection ? 'Serial of the meter taken off' : 'Meter serial'}
              required
              {...form.text('meterSerial')}
              data-autofocus
            />
          </SimpleGrid>
          {!disconnection ? (
            <SimpleGrid cols={2}>
              <NumberInput label="Dials" min={3} max={9} value={form.values.meterDials} onChange={(value) => form.setField('meterDials', value)} error={form.errors.meterDials} />
              <NumberInput label="Multiplier" min={0} value={form.values.meterMultiplier} onChange={(value) => form.setField('meterMultiplier', value)} error={form.errors.meterMultiplier} />
            </SimpleGrid>
          ) : null}
          <Textarea label="Notes" autosize minRows={1} {...form.text('notes')} />
        </>
      ) : null}

      {step === 'commission' ? (
        <>
          <SimpleGrid cols={2}>
            <TextInput type="date" label="Commissioned on" required max={today} {...form.text('commissionedOn')} />
            {!disconnection ? (
              <NumberInput
                label="Initial read of the new meter"
                description={`Meter ${order.meterSerial ?? ''}: billing starts from this value`}
                min={0}
                value={form.values.initialRead}
                onChange={(value) => form.setField('initialRead', value)}
                error={form.errors.initialRead}
                data-autofocus
              />
            ) : null}
          </SimpleGrid>
          {removesMeter ? (
            <NumberInput
              label="Final read of the meter that came off"
              description={disconnection ? 'Closes the meter; the account goes inactive.' : 'Leave empty if the account had no meter.'}
              min={0}
              value={form.values.removalRead}
              onChange={(value) => form.setField('removalRead', value)}
              error={form.errors.removalRead}
            />
          ) : null}
          {order.type === 'new_connection' ? (
            <SimpleGrid cols={3}>
              <TextInput label="Account number" description="Assigned when left empty" {...form.text('accountNo')} />
              <Select
                label="Route"
                data={(routes.data ?? []).map((r) => ({ value: r.id, label: `${r.code} · ${r.name}` }))}
                value={form.values.routeId || null}
                onChange={(value) => form.setField('routeId', value ?? '')}
                error={form.errors.routeId}
              />
              <TextInput label="Customer category" {...form.text('category')} />
            </SimpleGrid>
          ) : null}
        </>
      ) : null}

      {checklist.length > 0 ? (
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            Checklist
          </Text>
          {checklist.map((item) => (
            <Checkbox
              key={item.key}
              label={`${item.label}${item.required ? ' *' : ''}`}
              checked={checked.includes(item.key)}
              onChange={(event) => {
                const on = event.currentTarget.checked;
                setChecked((current) => (on ? [...current, item.key] : current.filter((k) => k !== item.key)));
              }}
              error={checklistError(item.key)}
            />
          ))}
          <Text size="xs" c="dimmed">
            Items marked * must be ticked before the order can move on.
          </Text>
        </Stack>
      ) : null}
    </ActionDialog>
  );
}
