import { Alert, Anchor, Badge, Button, Group, NumberInput, Paper, SimpleGrid, Skeleton, Stack, Switch, Tabs, Text, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { partsAdjust, partsCreate, partsGet, partsList, partsReceive, partsUpdate, type Movement, type Part } from '../../../../../src-shared/contracts/energy/maintenance';
import { useZodForm } from '../../../../api/forms';
import { useRpcMutation, useRpcQuery, useSession } from '../../../../api/hooks';
import { ApprovalBanner, AuditTrail, DataTable, DateText, EmptyState, ErrorAlert, Field, formatMoney, MoneyText, PageHeader, type DataColumn } from '../../../../components';
import { ActionDialog, useApprovalRequested } from '../../installations/shared/ui';
import { FunctionTabs } from '../components/FunctionTabs';
import { PARTS, partPath, workOrderPath, MAINTENANCE } from '../labels';

/** Money typed as "12.50" → minor units; NaN when it is not an amount. */
const minor = (text: string) => (text.trim() === '' ? undefined : Math.round(Number(text.replace(',', '.')) * 100));

const partColumns: DataColumn<Part>[] = [
  { key: 'code', header: 'Part', render: (p) => <Text size="sm" ff="monospace">{p.code}</Text> },
  { key: 'name', header: 'Name', render: (p) => p.name },
  {
    key: 'onHand',
    header: 'On hand',
    align: 'right',
    render: (p) => (
      <Group gap={4} justify="flex-end" wrap="nowrap">
        {p.low ? (
          <Badge color="orange" size="xs">
            at minimum
          </Badge>
        ) : null}
        <Text size="sm">
          {p.onHand.toLocaleString()} {p.unit}
        </Text>
      </Group>
    ),
  },
  { key: 'min', header: 'Minimum', align: 'right', render: (p) => p.minQuantity.toLocaleString() },
  { key: 'cost', header: 'Unit cost', align: 'right', render: (p) => <MoneyText value={p.unitCost} size="sm" /> },
  { key: 'value', header: 'Stock value', align: 'right', render: (p) => <MoneyText value={p.stockValue} size="sm" /> },
];

/** Parts with stock on hand, value and minimum-quantity alerts. */
export function PartsListPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const low = params.get('low') === 'true';
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const parts = useRpcQuery(partsList, { ...(debounced ? { search: debounced } : {}), ...(low ? { low: true } : {}) }, { keepPrevious: true });
  const [creating, setCreating] = useState(false);

  return (
    <Stack gap={0}>
      <PageHeader
        title="Parts and stock"
        subtitle="Stock moves only through receipts, issues to work orders and approved count adjustments, and never goes below zero."
        actions={
          can('energy.maintenance', 'create') ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              New part
            </Button>
          ) : null
        }
      />
      <FunctionTabs />
      <Paper withBorder p="sm" mb="md">
        <Group gap="md" align="flex-end">
          <TextInput label="Search" placeholder="Code or name" leftSection={<IconSearch size={14} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={240} />
          <Switch label="Only parts at or below minimum" checked={low} onChange={(e) => setParams(e.currentTarget.checked ? { low: 'true' } : {})} />
        </Group>
      </Paper>
      {parts.isError ? <ErrorAlert error={parts.error} onRetry={() => void parts.refetch()} /> : null}
      <DataTable
        label="Parts"
        rows={parts.data?.rows ?? []}
        rowKey="id"
        columns={partColumns}
        onOpen={(p) => navigate(partPath(p.id))}
        loading={parts.isFetching}
        empty={<EmptyState title={low ? 'No part is at its minimum' : 'No parts yet'} description={low ? 'Every part is above its minimum quantity.' : 'Add the spares you keep, then receive them into stock.'} />}
        totalLabel={
          parts.data ? (
            <>
              Stock value <MoneyText value={parts.data.stockValue} /> · {parts.data.lowCount} at or below minimum
            </>
          ) : null
        }
      />
      <PartDialog opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function PartDialog({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const create = useRpcMutation(partsCreate, { notifyErrors: false, invalidate: MAINTENANCE });
  const form = useZodForm(
    partsCreate.input,
    { code: '', name: '', unit: 'each', unitCost: '', minQuantity: 0 as number | string },
    (v) => ({ code: v.code, name: v.name, unit: v.unit, unitCost: minor(v.unitCost), minQuantity: v.minQuantity === '' ? 0 : Number(v.minQuantity) }),
  );
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
    <ActionDialog opened={opened} title="New part" onClose={onClose} onSubmit={submit} submitLabel="Add part" busy={create.isPending} error={create.error && Object.keys(form.errors).length === 0 ? create.error : null}>
      <SimpleGrid cols={2}>
        <TextInput label="Code" required {...form.text('code')} data-autofocus />
        <TextInput label="Unit" {...form.text('unit')} />
      </SimpleGrid>
      <TextInput label="Name" required {...form.text('name')} />
      <SimpleGrid cols={2}>
        <TextInput label="Unit cost" placeholder="0.00" inputMode="decimal" {...form.text('unitCost')} />
        <NumberInput label="Minimum quantity" min={0} value={form.values.minQuantity} onChange={(v) => form.setField('minQuantity', v)} error={form.errors.minQuantity} />
      </SimpleGrid>
    </ActionDialog>
  );
}

/* ---------------- detail ---------------- */

const ledgerColumns: DataColumn<Movement>[] = [
  { key: 'at', header: 'When', render: (m) => <DateText value={m.at} size="sm" /> },
  { key: 'kind', header: 'Movement', render: (m) => m.kind.charAt(0).toUpperCase() + m.kind.slice(1) },
  { key: 'quantity', header: 'Quantity', align: 'right', render: (m) => <Text size="sm" c={m.quantity < 0 ? 'red' : 'green'}>{m.quantity > 0 ? `+${m.quantity}` : m.quantity}</Text> },
  { key: 'balance', header: 'Balance', align: 'right', render: (m) => m.balanceAfter.toLocaleString() },
  { key: 'value', header: 'Value', align: 'right', render: (m) => <MoneyText value={m.value} size="sm" /> },
  {
    key: 'ref',
    header: 'Reference',
    render: (m) =>
      m.workOrderId ? (
        <Anchor component={Link} to={workOrderPath(m.workOrderId)} size="sm" onClick={(e) => e.stopPropagation()}>
          {m.workOrderNo}
        </Anchor>
      ) : (
        (m.reference ?? m.reason ?? '')
      ),
  },
  { key: 'who', header: 'By', render: (m) => m.actorName },
];

export function PartDetailPage() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const detail = useRpcQuery(partsGet, { id }, { enabled: id !== '' });
  const [action, setAction] = useState<'receive' | 'adjust' | null>(null);
  const [editing, setEditing] = useState(false);
  const [tab, setTab] = useState<string | null>('ledger');
  if (detail.isPending) return <Skeleton h={240} />;
  if (detail.isError) return <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />;
  const { part, ledger } = detail.data;
  return (
    <Stack gap={0}>
      <Anchor component={Link} to={PARTS} size="sm" mb="xs" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} /> Parts
        </Group>
      </Anchor>
      <PageHeader
        title={`${part.code} · ${part.name}`}
        badge={part.low ? <Badge color="orange">At or below minimum</Badge> : null}
        actions={
          <>
            {can('energy.maintenance', 'create') ? <Button onClick={() => setAction('receive')}>Receive stock</Button> : null}
            {can('energy.maintenance', 'edit') ? (
              <Button variant="default" onClick={() => setAction('adjust')}>
                Adjust to a count
              </Button>
            ) : null}
            {can('energy.maintenance', 'create') ? (
              <Button variant="default" onClick={() => setEditing(true)}>
                Edit part
              </Button>
            ) : null}
          </>
        }
      />
      <FunctionTabs />
      <ApprovalBanner entity="part" entityId={part.id} />
      <SimpleGrid cols={{ base: 2, md: 4 }} mb="md">
        <Paper withBorder p="sm">
          <Field label="On hand">{`${part.onHand.toLocaleString()} ${part.unit}`}</Field>
        </Paper>
        <Paper withBorder p="sm">
          <Field label="Minimum">{part.minQuantity.toLocaleString()}</Field>
        </Paper>
        <Paper withBorder p="sm">
          <Field label="Average unit cost">
            <MoneyText value={part.unitCost} />
          </Field>
        </Paper>
        <Paper withBorder p="sm">
          <Field label="Stock value">
            <MoneyText value={part.stockValue} />
          </Field>
        </Paper>
      </SimpleGrid>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="ledger">Stock ledger</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="ledger">
          <DataTable label="Stock ledger" rows={ledger} rowKey="id" columns={ledgerColumns} empty={<EmptyState title="No movements yet" description="Receive the part into stock to start its ledger." />} />
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditTrail entity="part" entityId={part.id} />
        </Tabs.Panel>
      </Tabs>
      {action ? <StockDialog key={action} part={part} action={action} onClose={() => setAction(null)} /> : null}
      {editing ? <EditPartDialog part={part} onClose={() => setEditing(false)} /> : null}
    </Stack>
  );
}

/** Name, unit and the minimum that raises the reorder alert; stock itself moves only through the ledger. */
function EditPartDialog({ part, onClose }: { part: Part; onClose(): void }) {
  const update = useRpcMutation(partsUpdate, { notifyErrors: false, invalidate: MAINTENANCE });
  const form = useZodForm(partsUpdate.input, { name: part.name, unit: part.unit, minQuantity: part.minQuantity as number | string }, (v) => ({
    id: part.id,
    version: part.version,
    name: v.name,
    unit: v.unit,
    minQuantity: v.minQuantity === '' ? undefined : Number(v.minQuantity),
  }));
  const submit = form.onSubmit((input) =>
    update.mutate(
      { input },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `${part.code} saved` });
          onClose();
        },
        onError: (error) => form.applyServerErrors(error),
      },
    ),
  );
  return (
    <ActionDialog
      opened
      title={`Edit part · ${part.code}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Save changes"
      busy={update.isPending}
      error={update.error && Object.keys(form.errors).length === 0 ? update.error : null}
    >
      <TextInput label="Name" required {...form.text('name')} data-autofocus />
      <SimpleGrid cols={2}>
        <TextInput label="Unit" required {...form.text('unit')} />
        <NumberInput
          label="Minimum quantity"
          description="At or below it, the part is on the reorder list. 0 = no alert."
          min={0}
          value={form.values.minQuantity}
          onChange={(v) => form.setField('minQuantity', v)}
          error={form.errors.minQuantity}
        />
      </SimpleGrid>
    </ActionDialog>
  );
}

function StockDialog({ part, action, onClose }: { part: Part; action: 'receive' | 'adjust'; onClose(): void }) {
  const receive = useRpcMutation(partsReceive, { notifyErrors: false, invalidate: MAINTENANCE });
  const adjust = useRpcMutation(partsAdjust, { notifyErrors: false, invalidate: MAINTENANCE });
  const mutation = action === 'receive' ? receive : adjust;
  const approvalRequested = useApprovalRequested();
  const form = useZodForm(
    action === 'receive' ? partsReceive.input : partsAdjust.input,
    { quantity: '' as number | string, unitCost: (part.unitCost / 100).toFixed(2), reference: '', countedQuantity: part.onHand as number | string, reason: '' },
    (v) =>
      action === 'receive'
        ? { id: part.id, quantity: v.quantity === '' ? undefined : Number(v.quantity), unitCost: minor(v.unitCost), ...(v.reference ? { reference: v.reference } : {}) }
        : { id: part.id, version: part.version, countedQuantity: v.countedQuantity === '' ? undefined : Number(v.countedQuantity), reason: v.reason },
  );
  const submit = form.onSubmit((input) => {
    const handlers = {
      onSuccess: () => {
        notifications.show({ color: 'green', message: `${part.code}: stock ${action === 'receive' ? 'received' : 'adjusted'}` });
        onClose();
      },
      onError: (error: unknown) => {
        if (approvalRequested(error, `The adjustment of ${part.code}`)) {
          onClose();
          return;
        }
        form.applyServerErrors(error);
      },
    };
    if (action === 'receive') receive.mutate({ input: input as never }, handlers);
    else adjust.mutate({ input: input as never }, handlers);
  });
  const counted = Number(form.values.countedQuantity);
  return (
    <ActionDialog
      opened
      title={`${action === 'receive' ? 'Receive stock' : 'Adjust to a physical count'} · ${part.code}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={action === 'receive' ? 'Receive' : 'Send for approval'}
      busy={mutation.isPending}
      error={mutation.error && Object.keys(form.errors).length === 0 ? mutation.error : null}
    >
      {action === 'receive' ? (
        <>
          <NumberInput label={`Quantity (${part.unit})`} min={1} value={form.values.quantity} onChange={(v) => form.setField('quantity', v)} error={form.errors.quantity} data-autofocus />
          <TextInput label="Unit cost" description="The average cost moves with each receipt" inputMode="decimal" {...form.text('unitCost')} />
          <TextInput label="Reference" placeholder="Goods received note" {...form.text('reference')} />
        </>
      ) : (
        <>
          <Alert color="yellow" variant="light">
            Adjustments write stock on or off outside any receipt or issue, so a supervisor approves them.
          </Alert>
          <NumberInput label={`Counted on the shelf (${part.unit})`} min={0} value={form.values.countedQuantity} onChange={(v) => form.setField('countedQuantity', v)} error={form.errors.countedQuantity} data-autofocus />
          {Number.isFinite(counted) && counted !== part.onHand ? (
            <Text size="sm">
              {counted > part.onHand ? '+' : ''}
              {counted - part.onHand} {part.unit} against the {part.onHand} on record, worth {formatMoney((counted - part.onHand) * part.unitCost)}.
            </Text>
          ) : null}
          <Textarea label="Reason" required autosize minRows={2} {...form.text('reason')} />
        </>
      )}
    </ActionDialog>
  );
}
