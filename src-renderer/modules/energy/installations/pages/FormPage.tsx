import { Alert, Anchor, Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowLeft } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  PRIORITY_LABELS,
  PRIORITIES,
  accountSearch,
  ordersCreate,
  ordersGet,
  ordersUpdate,
  routeOptions,
  type OrderType,
  type Priority,
  type ServiceOrder,
} from '../../../../../src-shared/contracts/energy/installations';
import { useZodForm } from '../../../../api/forms';
import { useRpcMutation, useRpcQuery } from '../../../../api/hooks';
import { ErrorAlert, PageHeader } from '../../../../components';
import { FunctionTabs } from '../components/FunctionTabs';
import { FUNCTION_PATH, orderPath, typeOptions } from '../labels';

interface Values extends Record<string, unknown> {
  type: OrderType;
  priority: Priority;
  customerName: string;
  phone: string;
  address: string;
  description: string;
  accountId: string;
  routeId: string;
  receivedAt: string;
}

const EMPTY: Values = {
  type: 'new_connection',
  priority: 'normal',
  customerName: '',
  phone: '',
  address: '',
  description: '',
  accountId: '',
  routeId: '',
  receivedAt: '',
};

/** A datetime-local value (the PC's wall clock) as an instant the contract takes. */
const toInstant = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** Drop empty optionals: the contract wants them absent, not blank. */
function prepareCreate(v: Values) {
  return {
    type: v.type,
    priority: v.priority,
    customerName: v.customerName,
    address: v.address,
    ...(v.phone ? { phone: v.phone } : {}),
    ...(v.description ? { description: v.description } : {}),
    ...(v.type !== 'new_connection' && v.accountId ? { accountId: v.accountId } : {}),
    ...(v.type === 'new_connection' && v.routeId ? { routeId: v.routeId } : {}),
    ...(v.receivedAt ? { receivedAt: toInstant(v.receivedAt) } : {}),
  };
}

/** New service request (`/new`) or correcting one that has not been installed yet (`/:id/edit`). */
export function FormPage() {
  const { id } = useParams();
  const existing = useRpcQuery(ordersGet, { id: id ?? '' }, { enabled: Boolean(id) });
  if (id && existing.isPending) return null;
  if (id && existing.isError) return <ErrorAlert error={existing.error} onRetry={() => void existing.refetch()} />;
  return <OrderForm order={existing.data?.order} />;
}

function OrderForm({ order }: { order?: ServiceOrder }) {
  const navigate = useNavigate();
  const editing = order !== undefined;
  const initial: Values = order
    ? {
        ...EMPTY,
        type: order.type,
        priority: order.priority,
        customerName: order.customerName,
        phone: order.phone ?? '',
        address: order.address,
        description: order.description ?? '',
        accountId: order.accountId ?? '',
        routeId: order.routeId ?? '',
      }
    : EMPTY;
  const prepareUpdate = (v: Values) => ({
    id: order?.id,
    version: order?.version,
    priority: v.priority,
    customerName: v.customerName,
    phone: v.phone,
    address: v.address,
    description: v.description,
    ...(v.routeId ? { routeId: v.routeId } : {}),
  });
  const form = useZodForm<typeof ordersCreate.input | typeof ordersUpdate.input, Values>(
    editing ? ordersUpdate.input : ordersCreate.input,
    initial,
    editing ? prepareUpdate : prepareCreate,
  );
  const create = useRpcMutation(ordersCreate, { notifyErrors: false });
  const update = useRpcMutation(ordersUpdate, { notifyErrors: false });
  const mutation = editing ? update : create;
  const routes = useRpcQuery(routeOptions, {});
  const [accountQuery, setAccountQuery] = useState(order?.accountNo ?? '');
  const [debouncedQuery] = useDebouncedValue(accountQuery, 250);
  const accounts = useRpcQuery(accountSearch, { search: debouncedQuery }, { enabled: debouncedQuery.trim().length >= 2 && !editing });
  const chosenAccount = (accounts.data ?? []).find((a) => a.id === form.values.accountId);

  const submit = form.onSubmit((input) => {
    const onSuccess = (saved: ServiceOrder) => navigate(orderPath(saved.id));
    const onError = (error: unknown) => form.applyServerErrors(error);
    if (editing) update.mutate({ input: input as never }, { onSuccess, onError });
    else create.mutate({ input: input as never }, { onSuccess, onError });
  });

  const pickAccount = (accountId: string | null) => {
    form.setField('accountId', accountId ?? '');
    const account = (accounts.data ?? []).find((a) => a.id === accountId);
    // The customer and address come with the account; the clerk can still correct them.
    if (account) {
      if (!form.values.customerName) form.setField('customerName', account.name);
      if (!form.values.address) form.setField('address', account.address);
    }
  };

  const newConnection = form.values.type === 'new_connection';

  return (
    <Stack gap={0}>
      <Anchor component={Link} to={order ? orderPath(order.id) : `${FUNCTION_PATH}/orders`} size="sm" mb="xs" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} /> {order ? order.orderNo : 'Service orders'}
        </Group>
      </Anchor>
      <PageHeader
        title={editing ? `Edit ${order.orderNo}` : 'New service request'}
        subtitle={
          editing
            ? 'A new priority moves the deadline: the allowance always counts from when the request was received.'
            : 'The deadline starts when the request was received: enter that time for a request taken earlier by phone or on paper.'
        }
      />
      <FunctionTabs />
      <Paper withBorder p="md" maw={860}>
        <form onSubmit={submit} aria-label={editing ? 'Edit service order' : 'New service request'}>
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label="Type of service"
                data={typeOptions}
                value={form.values.type}
                onChange={(value) => value && form.setField('type', value as OrderType)}
                allowDeselect={false}
                disabled={editing}
                error={form.errors.type}
                data-autofocus
              />
              <div>
                <Text size="sm" fw={500} mb={2} id="priority-label">
                  Priority
                </Text>
                <SegmentedControl
                  aria-labelledby="priority-label"
                  fullWidth
                  value={form.values.priority}
                  onChange={(value) => form.setField('priority', value as Priority)}
                  data={PRIORITIES.map((value) => ({ value, label: PRIORITY_LABELS[value] }))}
                />
              </div>
            </SimpleGrid>
            {!newConnection && !editing ? (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label="Find the customer’s account"
                  placeholder="Account number, name, address or meter"
                  value={accountQuery}
                  onChange={(event) => setAccountQuery(event.currentTarget.value)}
                />
                <Select
                  label="Account"
                  placeholder={accounts.data ? `${accounts.data.length} found` : 'Type at least 2 characters'}
                  data={(accounts.data ?? []).map((a) => ({
                    value: a.id,
                    label: `${a.accountNo} · ${a.name}${a.meterSerial ? ` · meter ${a.meterSerial}` : ' · no meter'}`,
                  }))}
                  value={form.values.accountId || null}
                  onChange={pickAccount}
                  error={form.errors.accountId}
                  searchable
                  nothingFoundMessage="No account matches"
                />
              </SimpleGrid>
            ) : null}
            {chosenAccount && chosenAccount.status === 'inactive' && form.values.type !== 'reconnection' ? (
              <Alert color="yellow">Account {chosenAccount.accountNo} is inactive; a reconnection may be what the customer needs.</Alert>
            ) : null}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Customer name" required {...form.text('customerName')} />
              <TextInput label="Phone" {...form.text('phone')} />
            </SimpleGrid>
            <TextInput label="Service address" required {...form.text('address')} />
            {newConnection ? (
              <Select
                label="Route the new meter will be read on"
                description="Can wait until commissioning."
                data={(routes.data ?? []).map((r) => ({ value: r.id, label: `${r.code} · ${r.name}` }))}
                value={form.values.routeId || null}
                onChange={(value) => form.setField('routeId', value ?? '')}
                error={form.errors.routeId}
                clearable
              />
            ) : null}
            <Textarea label="What the customer asked for" autosize minRows={2} {...form.text('description')} />
            {!editing ? (
              <TextInput
                type="datetime-local"
                label="Received at"
                description="Leave empty for a request taken now."
                {...form.text('receivedAt')}
                error={form.errors.receivedAt}
                w={260}
              />
            ) : null}
            <ErrorAlert error={mutation.error && Object.keys(form.errors).length === 0 ? mutation.error : null} />
            <Group justify="flex-end">
              <Button variant="default" component={Link} to={order ? orderPath(order.id) : `${FUNCTION_PATH}/orders`}>
                Cancel
              </Button>
              <Button type="submit" loading={mutation.isPending}>
                {editing ? 'Save changes' : 'Register request'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
