import { Badge, Button, Drawer, Group, Modal, NumberInput, Paper, Select, SimpleGrid, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconEdit, IconGauge, IconPlus, IconReplace, IconRoute, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import {
  accountsCreate,
  accountsList,
  accountsUpdate,
  metersCreate,
  metersExchange,
  metersGet,
  routesCreate,
  routesList,
  routesUpdate,
  type Account,
  type Route,
} from '../../../../../src-shared/contracts/energy/meter-readings';
import { useZodForm, type ZodForm } from '../../../../api/forms';
import { useRpcMutation, useRpcQuery, useSession } from '../../../../api/hooks';
import { DataTable, DateText, EmptyState, ErrorAlert, Field, PageHeader, pluralize, type DataColumn } from '../../../../components';
import { FunctionTabs } from '../components/FunctionTabs';
import { FUNCTION_PATH, READ_TYPE_LABELS, formatRegister } from '../labels';
import { useToday } from '../options';

const PAGE_SIZE = 50;
/** Meter reading master data lives under these procedures; saving any of them refreshes the rest. */
const MASTER_DATA = ['energy.accounts.', 'energy.meters.', 'energy.routes.', 'energy.meterReadings.'];

const columns: DataColumn<Account>[] = [
  { key: 'accountNo', header: 'Account', width: 120, render: (a) => <Text size="sm" ff="monospace">{a.accountNo}</Text> },
  {
    key: 'name',
    header: 'Customer',
    render: (a) => (
      <div>
        <Text size="sm" fw={500}>
          {a.name}
        </Text>
        <Text size="xs" c="dimmed">
          {a.address}
        </Text>
      </div>
    ),
  },
  { key: 'route', header: 'Route · stop', width: 130, render: (a) => <Text size="sm">{a.routeCode ? `${a.routeCode} · ${a.sequence}` : '—'}</Text> },
  {
    key: 'meter',
    header: 'Meter',
    width: 150,
    render: (a) =>
      a.meterSerial ? (
        <Text size="sm" ff="monospace">
          {a.meterSerial}
        </Text>
      ) : (
        <Badge size="sm" color="yellow" variant="light">
          No meter
        </Badge>
      ),
  },
  { key: 'category', header: 'Category', width: 120, render: (a) => <Text size="sm">{a.category}</Text> },
  {
    key: 'status',
    header: 'Status',
    width: 100,
    render: (a) => (
      <Badge size="sm" variant="light" color={a.status === 'active' ? 'green' : 'gray'}>
        {a.status === 'active' ? 'Active' : 'Vacant'}
      </Badge>
    ),
  },
];

/** Numbers typed into text-like fields arrive as strings; empty stays empty so "Required" shows. */
const num = (value: unknown): unknown => (value === '' || value === null || value === undefined ? undefined : Number(value));

/**
 * The master data meter reading needs: routes, the accounts walked on them and the meter hanging at
 * each, with a meter exchange when one is replaced. Find an account by number, serial, name or phone.
 */
export function MetersPage() {
  const { can } = useSession();
  const mayAdminister = can('energy.meterReadings', 'admin');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [routeId, setRouteId] = useState<string | null>(null);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [opened, setOpened] = useState<Account | null>(null);
  const [dialog, setDialog] = useState<'route' | 'renameRoute' | 'account' | null>(null);
  const routes = useRpcQuery(routesList, {});
  const cursor = cursors.at(-1);
  const accounts = useRpcQuery(accountsList, {
    limit: PAGE_SIZE,
    ...(debounced ? { search: debounced } : {}),
    ...(routeId ? { routeId } : {}),
    ...(cursor ? { cursor } : {}),
  });
  const selectedRoute = (routes.data ?? []).find((r) => r.id === routeId);
  const routeOptions = (routes.data ?? []).map((r) => ({ value: r.id, label: `${r.code} · ${r.name} (${pluralize(r.meterCount, 'meter')})` }));
  const restart = () => setCursors([undefined]);
  const rows = accounts.data?.rows ?? [];

  return (
    <>
      <PageHeader
        title="Accounts and meters"
        subtitle="The routes readers walk, the accounts on them and the meter at each. Open an account to see its meter and readings, or to exchange the meter."
        actions={
          mayAdminister ? (
            <Group gap="xs">
              <Button variant="default" leftSection={<IconRoute size={16} />} onClick={() => setDialog('route')}>
                New route
              </Button>
              <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog('account')} disabled={(routes.data ?? []).length === 0}>
                New account
              </Button>
            </Group>
          ) : null
        }
      />
      <FunctionTabs />
      <Group mb="sm" align="flex-end">
        <TextInput
          label="Find an account"
          placeholder="Account no, meter serial, name or phone"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            restart();
          }}
          data-autofocus
          autoFocus
          w={360}
        />
        <Select
          label="Route"
          placeholder="Every route"
          clearable
          data={routeOptions}
          value={routeId}
          onChange={(value) => {
            setRouteId(value);
            restart();
          }}
          w={300}
        />
        {mayAdminister && routeId ? (
          <Button variant="default" leftSection={<IconEdit size={16} />} onClick={() => setDialog('renameRoute')}>
            Rename route
          </Button>
        ) : null}
      </Group>
      {accounts.isError ? (
        <ErrorAlert error={accounts.error} onRetry={() => void accounts.refetch()} />
      ) : (
        <Paper withBorder>
          <DataTable
            label="Accounts"
            rows={rows}
            columns={columns}
            rowKey="id"
            loading={accounts.isPending}
            onOpen={(account) => setOpened(account)}
            totalLabel={accounts.data ? `${pluralize(accounts.data.total, 'account')}${debounced || routeId ? ' found' : ''}` : null}
            footer={
              <Group gap="xs">
                <Button variant="default" size="xs" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                  Previous
                </Button>
                <Button
                  variant="default"
                  size="xs"
                  disabled={!accounts.data?.nextCursor}
                  onClick={() => accounts.data?.nextCursor && setCursors((c) => [...c, accounts.data!.nextCursor!])}
                >
                  Next
                </Button>
              </Group>
            }
            empty={
              debounced || routeId ? (
                <EmptyState icon={<IconSearch size={24} stroke={1.5} />} title="No account matches" description="Check the number or serial, or clear the route filter." />
              ) : (
                <EmptyState
                  icon={<IconGauge size={24} stroke={1.5} />}
                  title="No accounts yet"
                  description={mayAdminister ? 'Create a route, then add the accounts on it with their meters.' : 'An administrator adds routes and accounts; new connections also arrive from service installations.'}
                />
              )
            }
          />
        </Paper>
      )}
      <Drawer opened={opened !== null} onClose={() => setOpened(null)} position="right" size="lg" title={opened ? `${opened.accountNo} · ${opened.name}` : ''}>
        {opened ? <AccountPanel account={opened} routes={routeOptions} onChanged={setOpened} /> : null}
      </Drawer>
      <Modal opened={dialog === 'route'} onClose={() => setDialog(null)} title="New route">
        <NewRouteForm onDone={() => setDialog(null)} />
      </Modal>
      <Modal opened={dialog === 'renameRoute' && selectedRoute !== undefined} onClose={() => setDialog(null)} title={`Rename route ${selectedRoute?.code ?? ''}`}>
        {selectedRoute ? <RenameRouteForm route={selectedRoute} onDone={() => setDialog(null)} /> : null}
      </Modal>
      <Modal opened={dialog === 'account'} onClose={() => setDialog(null)} title="New account" size="lg">
        <NewAccountForm routes={routeOptions} onDone={() => setDialog(null)} />
      </Modal>
    </>
  );
}

/** The account's details, its meter and its latest readings; each has its own actions beside it. */
function AccountPanel({ account, routes, onChanged }: { account: Account; routes: { value: string; label: string }[]; onChanged(account: Account): void }) {
  const { can } = useSession();
  const [action, setAction] = useState<'edit' | 'install' | 'exchange' | null>(null);
  const meter = useRpcQuery(metersGet, { id: account.meterId ?? '' }, { enabled: account.meterId !== null });

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <SimpleGrid cols={2} style={{ flex: 1 }}>
          <Field label="Address">{account.address}</Field>
          <Field label="Phone">{account.phone ?? '—'}</Field>
          <Field label="Route · stop">{account.routeCode ? `${account.routeCode} · ${account.sequence}` : '—'}</Field>
          <Field label="Category · status">{`${account.category} · ${account.status === 'active' ? 'active' : 'vacant'}`}</Field>
        </SimpleGrid>
        {can('energy.meterReadings', 'admin') ? (
          <Button variant="default" leftSection={<IconEdit size={16} />} onClick={() => setAction('edit')}>
            Edit details
          </Button>
        ) : null}
      </Group>
      <Title order={5}>Meter</Title>
      {account.meterId === null ? (
        <EmptyState
          icon={<IconGauge size={24} stroke={1.5} />}
          title="No meter on this account"
          description={can('energy.meterReadings', 'admin') ? 'Install one with its first register value.' : 'An administrator installs the meter.'}
          action={
            can('energy.meterReadings', 'admin') ? (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setAction('install')}>
                Install meter
              </Button>
            ) : undefined
          }
        />
      ) : meter.isError ? (
        <ErrorAlert error={meter.error} onRetry={() => void meter.refetch()} />
      ) : !meter.data ? (
        <Skeleton h={120} />
      ) : (
        <>
          <Group justify="space-between" align="flex-start">
            <SimpleGrid cols={3} style={{ flex: 1 }}>
              <Field label="Serial">
                <Text span ff="monospace" fw={600}>
                  {meter.data.meter.serial}
                </Text>
              </Field>
              <Field label="Dials · multiplier">{`${meter.data.meter.dials} · ×${meter.data.meter.multiplier}`}</Field>
              <Field label="Installed">
                <DateText value={meter.data.meter.installedOn} format="date" />
              </Field>
            </SimpleGrid>
            {can('energy.meterReadings', 'edit') ? (
              <Button variant="default" leftSection={<IconReplace size={16} />} onClick={() => setAction('exchange')}>
                Exchange meter
              </Button>
            ) : null}
          </Group>
          <Table striped highlightOnHover fz="sm" aria-label="Latest readings">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th ta="right">Reading</Table.Th>
                <Table.Th ta="right">Consumption</Table.Th>
                <Table.Th>Type</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {meter.data.history.slice(0, 8).map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Link to={`${FUNCTION_PATH}/${r.id}`}>
                      <DateText value={r.readDate} format="date" span />
                    </Link>
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {formatRegister(r.value)}
                  </Table.Td>
                  <Table.Td ta="right">{r.consumption.toLocaleString()}</Table.Td>
                  <Table.Td>
                    {READ_TYPE_LABELS[r.readType]}
                    {r.status === 'exception' ? (
                      <Badge ml={6} size="xs" color="red" variant="light">
                        exception
                      </Badge>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {meter.data.history.length === 0 ? (
            <Text size="sm" c="dimmed">
              No readings yet.
            </Text>
          ) : null}
        </>
      )}
      <Modal opened={action === 'edit'} onClose={() => setAction(null)} title={`Edit account ${account.accountNo}`} size="lg">
        <EditAccountForm
          account={account}
          routes={routes}
          onDone={(saved) => {
            if (saved) onChanged(saved);
            setAction(null);
          }}
        />
      </Modal>
      <Modal opened={action === 'install'} onClose={() => setAction(null)} title={`Install a meter on ${account.accountNo}`}>
        <InstallMeterForm accountId={account.id} onDone={() => setAction(null)} />
      </Modal>
      <Modal opened={action === 'exchange' && meter.data !== undefined} onClose={() => setAction(null)} title="Exchange meter" size="lg">
        {meter.data ? <ExchangeMeterForm meter={meter.data.meter} onDone={() => setAction(null)} /> : null}
      </Modal>
    </Stack>
  );
}

function FormButtons({ pending, label, onCancel }: { pending: boolean; label: string; onCancel(): void }) {
  return (
    <Group justify="flex-end" mt="sm">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={pending}>
        {label}
      </Button>
    </Group>
  );
}

function NewRouteForm({ onDone }: { onDone(): void }) {
  const form = useZodForm(routesCreate.input, { code: '', name: '' });
  const create = useRpcMutation(routesCreate, {
    invalidate: MASTER_DATA,
    onSuccess: (route) => {
      notifications.show({ color: 'green', message: `Route ${route.code} created. Add its accounts next.` });
      onDone();
    },
  });
  return (
    <form onSubmit={form.onSubmit((input) => create.mutate({ input }, { onError: (e) => form.applyServerErrors(e) }))}>
      <Stack gap="sm">
        <TextInput label="Code" placeholder="R03" data-autofocus {...form.text('code')} />
        <TextInput label="Name" placeholder="Riverside East" {...form.text('name')} />
        <FormButtons pending={create.isPending} label="Create route" onCancel={onDone} />
      </Stack>
    </form>
  );
}

function RenameRouteForm({ route, onDone }: { route: Route; onDone(): void }) {
  const form = useZodForm(routesUpdate.input, { id: route.id, version: route.version, name: route.name });
  const rename = useRpcMutation(routesUpdate, {
    invalidate: MASTER_DATA,
    onSuccess: (saved) => {
      notifications.show({ color: 'green', message: `Route ${saved.code} is now ${saved.name}.` });
      onDone();
    },
  });
  return (
    <form onSubmit={form.onSubmit((input) => rename.mutate({ input }, { onError: (e) => form.applyServerErrors(e) }))}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          The code {route.code} stays: route sheets, imports and reports know the route by it.
        </Text>
        <TextInput label="Name" data-autofocus {...form.text('name')} />
        {rename.isError && Object.keys(form.errors).length === 0 ? <ErrorAlert error={rename.error} /> : null}
        <FormButtons pending={rename.isPending} label="Rename route" onCancel={onDone} />
      </Stack>
    </form>
  );
}

type AccountDetails = { name: string; phone: string; address: string; routeId: string; sequence: string | number; category: string; status: string };

/** The fields an account is created with and later edited by; only the account number is fixed. */
function AccountDetailsFields({ form, routes }: { form: ZodForm<AccountDetails, unknown>; routes: { value: string; label: string }[] }) {
  return (
    <>
      <TextInput label="Customer name" {...form.text('name')} />
      <TextInput label="Address" {...form.text('address')} />
      <TextInput label="Phone" placeholder="Optional" {...form.text('phone')} />
      <Select label="Route" data={routes} value={form.values.routeId} onChange={(v) => form.setField('routeId', v ?? '')} error={form.errors.routeId} allowDeselect={false} />
      <TextInput label="Stop on the route" description="Walk order: 10, 20, 30 … leaves room between" {...form.text('sequence')} />
      <Select
        label="Tariff category"
        data={['residential', 'commercial', 'industrial', 'agricultural']}
        value={form.values.category}
        onChange={(v) => form.setField('category', v ?? 'residential')}
        error={form.errors.category}
        allowDeselect={false}
      />
      <Select
        label="Status"
        data={[
          { value: 'active', label: 'Active' },
          { value: 'inactive', label: 'Vacant premises' },
        ]}
        value={form.values.status}
        onChange={(v) => form.setField('status', v ?? 'active')}
        allowDeselect={false}
      />
    </>
  );
}

function EditAccountForm({ account, routes, onDone }: { account: Account; routes: { value: string; label: string }[]; onDone(saved?: Account): void }) {
  const form = useZodForm(
    accountsUpdate.input,
    {
      id: account.id,
      version: account.version,
      name: account.name,
      phone: account.phone ?? '',
      address: account.address,
      routeId: account.routeId ?? '',
      sequence: account.sequence as string | number,
      category: account.category,
      status: account.status as string,
    },
    (v) => ({ ...v, phone: v.phone || undefined, sequence: num(v.sequence) }),
  );
  const update = useRpcMutation(accountsUpdate, {
    invalidate: MASTER_DATA,
    onSuccess: (saved) => {
      notifications.show({ color: 'green', message: `Account ${saved.accountNo} saved.` });
      onDone(saved);
    },
  });
  return (
    <form onSubmit={form.onSubmit((input) => update.mutate({ input }, { onError: (e) => form.applyServerErrors(e) }))}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Readings already taken keep the route they were read on; a new route or stop applies from the next walk.
        </Text>
        <SimpleGrid cols={2}>
          <AccountDetailsFields form={form} routes={routes} />
        </SimpleGrid>
        {update.isError && Object.keys(form.errors).length === 0 ? <ErrorAlert error={update.error} /> : null}
        <FormButtons pending={update.isPending} label="Save account" onCancel={() => onDone()} />
      </Stack>
    </form>
  );
}

function NewAccountForm({ routes, onDone }: { routes: { value: string; label: string }[]; onDone(): void }) {
  const form = useZodForm(
    accountsCreate.input,
    { accountNo: '', name: '', phone: '', address: '', routeId: routes[0]?.value ?? '', sequence: '', category: 'residential', status: 'active' },
    (v) => ({ ...v, phone: v.phone || undefined, sequence: num(v.sequence) }),
  );
  const create = useRpcMutation(accountsCreate, {
    invalidate: MASTER_DATA,
    onSuccess: (account) => {
      notifications.show({ color: 'green', message: `Account ${account.accountNo} created. Open it to install its meter.` });
      onDone();
    },
  });
  return (
    <form onSubmit={form.onSubmit((input) => create.mutate({ input }, { onError: (e) => form.applyServerErrors(e) }))}>
      <Stack gap="sm">
        <SimpleGrid cols={2}>
          <TextInput label="Account number" data-autofocus {...form.text('accountNo')} />
          <AccountDetailsFields form={form} routes={routes} />
        </SimpleGrid>
        <FormButtons pending={create.isPending} label="Create account" onCancel={onDone} />
      </Stack>
    </form>
  );
}

function InstallMeterForm({ accountId, onDone }: { accountId: string; onDone(): void }) {
  const today = useToday();
  const form = useZodForm(
    metersCreate.input,
    { serial: '', dials: 5 as number | string, multiplier: 1 as number | string, accountId, installedOn: today, initialRead: '' },
    (v) => ({ ...v, dials: num(v.dials), multiplier: num(v.multiplier), initialRead: num(v.initialRead) }),
  );
  const create = useRpcMutation(metersCreate, {
    invalidate: MASTER_DATA,
    onSuccess: (meter) => {
      notifications.show({ color: 'green', message: `Meter ${meter.serial} installed; its first reading is the install read.` });
      onDone();
    },
  });
  return (
    <form onSubmit={form.onSubmit((input) => create.mutate({ input }, { onError: (e) => form.applyServerErrors(e) }))}>
      <Stack gap="sm">
        <TextInput label="Serial" data-autofocus {...form.text('serial')} />
        <Group grow>
          <NumberInput label="Dials" min={3} max={9} value={form.values.dials} onChange={(v) => form.setField('dials', v)} error={form.errors.dials} />
          <NumberInput label="Multiplier" min={0} value={form.values.multiplier} onChange={(v) => form.setField('multiplier', v)} error={form.errors.multiplier} />
        </Group>
        <Group grow>
          <TextInput label="Installed on" type="date" {...form.text('installedOn')} />
          <TextInput label="Register on installation" inputMode="numeric" {...form.text('initialRead')} />
        </Group>
        <FormButtons pending={create.isPending} label="Install meter" onCancel={onDone} />
      </Stack>
    </form>
  );
}

function ExchangeMeterForm({ meter, onDone }: { meter: { id: string; serial: string; dials: number; version: number }; onDone(): void }) {
  const today = useToday();
  const form = useZodForm(
    metersExchange.input,
    {
      meterId: meter.id,
      version: meter.version,
      exchangeDate: today,
      removalRead: '',
      newSerial: '',
      newDials: meter.dials as number | string,
      newMultiplier: 1 as number | string,
      installRead: '',
      reason: '',
    },
    (v) => ({ ...v, removalRead: num(v.removalRead), newDials: num(v.newDials), newMultiplier: num(v.newMultiplier), installRead: num(v.installRead) }),
  );
  const exchange = useRpcMutation(metersExchange, {
    invalidate: MASTER_DATA,
    onSuccess: ({ oldMeter, newMeter }) => {
      notifications.show({ color: 'green', message: `Meter ${oldMeter.serial} removed and ${newMeter.serial} installed; both reads are in the history.` });
      onDone();
    },
  });
  return (
    <form onSubmit={form.onSubmit((input) => exchange.mutate({ input }, { onError: (e) => form.applyServerErrors(e) }))}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          The removal read closes {meter.serial}: its consumption up to today is billed from it. The new meter starts from its install read.
        </Text>
        <Group grow>
          <TextInput label="Exchange date" type="date" {...form.text('exchangeDate')} />
          <TextInput label={`Removal read of ${meter.serial}`} inputMode="numeric" data-autofocus {...form.text('removalRead')} />
        </Group>
        <Group grow>
          <TextInput label="New meter serial" {...form.text('newSerial')} />
          <NumberInput label="Dials" min={3} max={9} value={form.values.newDials} onChange={(v) => form.setField('newDials', v)} error={form.errors.newDials} />
          <NumberInput label="Multiplier" min={0} value={form.values.newMultiplier} onChange={(v) => form.setField('newMultiplier', v)} error={form.errors.newMultiplier} />
        </Group>
        <TextInput label="Install read of the new meter" inputMode="numeric" {...form.text('installRead')} />
        <TextInput label="Reason" placeholder="Meter stopped, damaged, upgrade …" {...form.text('reason')} />
        <FormButtons pending={exchange.isPending} label="Exchange meter" onCancel={onDone} />
      </Stack>
    </form>
  );
}
