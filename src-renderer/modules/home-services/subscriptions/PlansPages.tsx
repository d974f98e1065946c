import { Alert, Badge, Button, Group, MultiSelect, Paper, Select, Stack, Table, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router';
import { servicesList } from '../../../../src-shared/contracts/home-services/master-data';
import {
  BILLING_PERIODS,
  OVER_ALLOWANCE,
  plansAddVersion,
  plansCreate,
  plansGet,
  plansList,
  plansSetStatus,
  type BillingPeriod,
  type OverAllowancePolicy,
  type Plan,
} from '../../../../src-shared/contracts/home-services/subscriptions';
import { useZodForm } from '../../../api/forms';
import { useRpcMutation, useRpcQuery, useSession } from '../../../api/hooks';
import { useHqOwnership } from '../../../api/ownership';
import { AuditTrail, DataTable, EmptyState, ErrorAlert, MoneyText, PageHeader, StatusBadge } from '../../../components';
import { formatAmount, parseAmount } from '../../energy/counter/printing';
import { SUB_BASE, useBranchDate } from '../packages/shared';
import { FunctionTabs } from './FunctionTabs';

const PLAN_ENTITY = 'subscriptionPlan';

/** HQ owns every plan once it sends one: new plans, versions and retirements then come from HQ. */
const useFromHq = () => useHqOwnership(PLAN_ENTITY).ownsAll;

/** `back`: on a form page reached by its address (a bookmark, an old link), the way back to the list. */
function OwnedByHqAlert({ back = false }: { back?: boolean }) {
  return (
    <Alert color="blue" title="Owned by HQ">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">Plans come from HQ: new plans, new versions and retirements arrive with the next sync. Subscribing customers here is not affected.</Text>
        {back ? (
          <Button component={Link} to={`${SUB_BASE}/plans`} variant="light" autoFocus>
            Back to plans
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}

export function PlansListPage() {
  const navigate = useNavigate();
  const session = useSession();
  const plans = useRpcQuery(plansList, { includeRetired: true });
  const fromHq = useFromHq();
  return (
    <>
      <PageHeader
        title="Plans"
        subtitle={
          fromHq
            ? 'Billing period, price and included visits, by effective date. Plans come from HQ: new versions arrive with the next sync.'
            : 'Billing period, price and included visits, by effective date: a price change is a new version from a date on.'
        }
        badge={fromHq ? <Badge variant="light">Owned by HQ</Badge> : undefined}
        actions={
          session.can('homeServices.subscriptions', 'edit') && !fromHq ? (
            <Button component={Link} to={`${SUB_BASE}/plans/new`}>
              New plan
            </Button>
          ) : null
        }
      />
      <FunctionTabs />
      {plans.error ? <ErrorAlert error={plans.error} /> : null}
      <DataTable
        label="Plans"
        rows={plans.data ?? []}
        loading={plans.isLoading}
        rowKey="id"
        onOpen={(p) => navigate(`${SUB_BASE}/plans/${p.id}`)}
        empty={
          <EmptyState
            title="No plans yet"
            description={fromHq ? 'Plans HQ publishes appear here after the next sync.' : 'Create a plan: its billing period, price, and the visits each period includes.'}
          />
        }
        columns={[
          { key: 'code', header: 'Code' },
          { key: 'name', header: 'Name' },
          { key: 'period', header: 'Billed', render: (p) => (p.current ? BILLING_PERIODS[p.current.billingPeriod] : 'not yet in effect') },
          { key: 'price', header: 'Price', align: 'right', render: (p) => <MoneyText value={p.current?.priceMinor ?? null} /> },
          { key: 'visits', header: 'Visits included', align: 'right', render: (p) => p.current?.includedVisits ?? '—' },
          { key: 'versions', header: 'Versions', align: 'right', render: (p) => p.versions.length },
          { key: 'activeSubscriptions', header: 'Subscribers', align: 'right' },
          { key: 'status', header: 'Status', render: (p) => <StatusBadge status={p.status === 'active' ? 'active' : 'inactive'} label={p.status === 'active' ? 'Active' : 'Retired'} /> },
        ]}
      />
    </>
  );
}

interface VersionValues extends Record<string, unknown> {
  code: string;
  name: string;
  description: string;
  effectiveFrom: string;
  billingPeriod: BillingPeriod;
  price: string;
  includedVisits: string;
  overAllowance: OverAllowancePolicy;
  overagePrice: string;
  serviceIds: string[];
}

/** The fields of a plan version; the plan form adds code and name. Same zod contract as the server. */
function VersionForm({ plan, onDone }: { plan?: Plan; onDone(plan: Plan): void }) {
  const services = useRpcQuery(servicesList, {});
  const dateIn = useBranchDate();
  const create = useRpcMutation(plansCreate, { notifyErrors: false });
  const addVersion = useRpcMutation(plansAddVersion, { notifyErrors: false });
  const current = plan?.current;
  const initial: VersionValues = {
    code: '',
    name: '',
    description: '',
    effectiveFrom: dateIn(plan ? 1 : 0),
    billingPeriod: current?.billingPeriod ?? 'monthly',
    price: current ? (current.priceMinor / 100).toFixed(2) : '',
    includedVisits: current ? String(current.includedVisits) : '2',
    overAllowance: current?.overAllowance ?? 'charge',
    overagePrice: current?.overagePriceMinor != null ? (current.overagePriceMinor / 100).toFixed(2) : '',
    serviceIds: current?.services.map((s) => s.serviceId) ?? [],
  };
  const versionFields = (v: VersionValues) => ({
    effectiveFrom: v.effectiveFrom,
    billingPeriod: v.billingPeriod,
    priceMinor: parseAmount(v.price) ?? Number.NaN,
    includedVisits: v.includedVisits.trim() === '' ? Number.NaN : Number(v.includedVisits),
    overAllowance: v.overAllowance,
    ...(v.overagePrice.trim() ? { overagePriceMinor: parseAmount(v.overagePrice) ?? Number.NaN } : {}),
    serviceIds: v.serviceIds,
  });
  const form = useZodForm(plan ? plansAddVersion.input : plansCreate.input, initial, (v) =>
    plan
      ? { id: plan.id, version: plan.version, ...versionFields(v) }
      : { code: v.code, name: v.name, ...(v.description.trim() ? { description: v.description } : {}), ...versionFields(v) },
  );
  const v = form.values;
  const pending = create.isPending || addVersion.isPending;
  const error = create.error ?? addVersion.error;
  const submit = form.onSubmit((input) => {
    const handlers = { onSuccess: onDone, onError: (err: unknown) => form.applyServerErrors(err) };
    if (plan) addVersion.mutate({ input: input as never }, handlers);
    else create.mutate({ input: input as never }, handlers);
  });
  return (
    <form onSubmit={submit}>
      <Stack maw={640}>
        {!plan ? (
          <>
            <Group grow>
              <TextInput label="Code" {...form.text('code')} autoFocus />
              <TextInput label="Name" {...form.text('name')} />
            </Group>
            <Textarea label="Description" {...form.text('description')} autosize minRows={1} />
          </>
        ) : null}
        <Group grow align="flex-start">
          <TextInput label="In effect from" type="date" {...form.text('effectiveFrom')} autoFocus={!!plan} description={plan ? 'Today or later: periods already billed keep their price' : undefined} />
          <Select
            label="Billed"
            value={v.billingPeriod}
            onChange={(value) => value && form.setField('billingPeriod', value as BillingPeriod)}
            data={Object.entries(BILLING_PERIODS).map(([value, label]) => ({ value, label: `${label}, in advance` }))}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput label="Price per period" {...form.text('price')} error={form.errors.priceMinor} inputMode="decimal" />
          <TextInput label="Visits included per period" {...form.text('includedVisits')} inputMode="numeric" />
        </Group>
        <MultiSelect
          label="Services the plan covers"
          searchable
          value={v.serviceIds}
          onChange={(ids) => form.setField('serviceIds', ids)}
          data={(services.data ?? []).map((s) => ({ value: s.id, label: `${s.sku} ${s.name}` }))}
          error={form.errors.serviceIds}
        />
        <Group grow align="flex-start">
          <Select
            label="Beyond the allowance"
            value={v.overAllowance}
            onChange={(value) => value && form.setField('overAllowance', value as OverAllowancePolicy)}
            data={Object.entries(OVER_ALLOWANCE).map(([value, label]) => ({ value, label }))}
          />
          {v.overAllowance === 'charge' ? <TextInput label="Price of a visit beyond it" {...form.text('overagePrice')} error={form.errors.overagePriceMinor} description="Empty: the visit’s own price" /> : <div />}
        </Group>
        {error && !Object.keys(form.errors).length ? <ErrorAlert error={error} /> : null}
        <Button type="submit" loading={pending} w="fit-content">
          {plan ? 'Add the version' : 'Create the plan'}
        </Button>
      </Stack>
    </form>
  );
}

export function PlanFormPage() {
  const navigate = useNavigate();
  const fromHq = useFromHq();
  return (
    <>
      <PageHeader title="New plan" />
      <FunctionTabs />
      {fromHq ? <OwnedByHqAlert back /> : <VersionForm onDone={(p) => navigate(`${SUB_BASE}/plans/${p.id}`)} />}
    </>
  );
}

export function PlanDetailPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const plan = useRpcQuery(plansGet, { id });
  const setStatus = useRpcMutation(plansSetStatus);
  const fromHq = useFromHq();
  if (plan.error) return <ErrorAlert error={plan.error} />;
  if (!plan.data) return null;
  const p = plan.data;
  // Retiring, reinstating and new versions are HQ's once HQ owns the plans.
  const canEdit = session.can('homeServices.subscriptions', 'edit') && !fromHq;
  return (
    <>
      <PageHeader
        title={`${p.code} · ${p.name}`}
        badge={
          <Group gap={4}>
            <StatusBadge status={p.status === 'active' ? 'active' : 'inactive'} label={p.status === 'active' ? 'Active' : 'Retired'} />
            {fromHq ? <Badge variant="light">Owned by HQ</Badge> : null}
          </Group>
        }
        subtitle={p.current ? `${formatAmount(p.current.priceMinor)} ${BILLING_PERIODS[p.current.billingPeriod].toLowerCase()} · ${p.current.includedVisits} visits included · ${p.activeSubscriptions} subscribers` : 'No version in effect yet'}
        actions={
          <>
            <Button variant="default" component={Link} to={`${SUB_BASE}?planId=${p.id}`}>
              Subscribers
            </Button>
            {canEdit ? (
              <Button variant="light" color={p.status === 'active' ? 'red' : undefined} loading={setStatus.isPending} onClick={() => setStatus.mutate({ input: { id: p.id, version: p.version, status: p.status === 'active' ? 'retired' : 'active' } })}>
                {p.status === 'active' ? 'Retire' : 'Reinstate'}
              </Button>
            ) : null}
          </>
        }
      />
      <FunctionTabs />
      <Tabs defaultValue="versions">
        <Tabs.List mb="md">
          <Tabs.Tab value="versions">Versions</Tabs.Tab>
          {canEdit ? <Tabs.Tab value="new">New version</Tabs.Tab> : null}
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="versions">
          {fromHq ? (
            <Text size="sm" c="dimmed" mb="xs">
              This plan comes from HQ: new versions arrive with the next sync.
            </Text>
          ) : null}
          <Paper withBorder p="xs">
            <Table fz="sm" aria-label="Plan versions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>From</Table.Th>
                  <Table.Th>Billed</Table.Th>
                  <Table.Th ta="right">Price</Table.Th>
                  <Table.Th ta="right">Per month</Table.Th>
                  <Table.Th>Visits</Table.Th>
                  <Table.Th>Services</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {p.versions.map((v) => (
                  <Table.Tr key={v.id} fw={v.id === p.current?.id ? 600 : undefined}>
                    <Table.Td>
                      {v.effectiveFrom}
                      {v.id === p.current?.id ? ' (in effect)' : ''}
                    </Table.Td>
                    <Table.Td>{BILLING_PERIODS[v.billingPeriod]}</Table.Td>
                    <Table.Td ta="right">{formatAmount(v.priceMinor)}</Table.Td>
                    <Table.Td ta="right">{formatAmount(v.monthlyMinor)}</Table.Td>
                    <Table.Td>
                      {v.includedVisits}, beyond: {v.overAllowance === 'charge' ? `charged${v.overagePriceMinor != null ? ` ${formatAmount(v.overagePriceMinor)}` : ''}` : 'refused'}
                    </Table.Td>
                    <Table.Td>{v.services.map((s) => s.name).join(', ')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Tabs.Panel>
        {canEdit ? (
          <Tabs.Panel value="new">
            <Title order={3} fz="h5" mb="xs">
              A new version from a date on
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              Each period is billed with the version in effect on its first day; subscribers move to it at their next renewal.
            </Text>
            <VersionForm key={p.version} plan={p} onDone={() => void plan.refetch()} />
          </Tabs.Panel>
        ) : null}
        <Tabs.Panel value="audit">
          <AuditTrail entity={PLAN_ENTITY} entityId={p.id} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
