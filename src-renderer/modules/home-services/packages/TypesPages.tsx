import { ActionIcon, Alert, Badge, Button, Checkbox, Group, NumberInput, Paper, Select, SegmentedControl, Stack, Tabs, Text, TextInput, Textarea } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { servicesList } from '../../../../src-shared/contracts/home-services/master-data';
import {
  PACKAGE_TYPE_STATUSES,
  POOL_KINDS,
  VALIDITY_KINDS,
  packageTypeCreateInput,
  packageTypeUpdateInput,
  typesCreate,
  typesGet,
  typesList,
  typesSetStatus,
  typesUpdate,
  type PackageType,
  type PoolKind,
  type ValidityKind,
} from '../../../../src-shared/contracts/home-services/packages';
import { useRpcMutation, useRpcQuery, useSession } from '../../../api/hooks';
import { useHqOwnership } from '../../../api/ownership';
import { useZodForm } from '../../../api/forms';
import { AuditTrail, DataTable, DateText, EmptyState, ErrorAlert, MoneyText, PageHeader, StatusBadge } from '../../../components';
import { formatAmount, parseAmount } from '../../energy/counter/printing';
import { FunctionTabs } from './FunctionTabs';
import { PKG_BASE } from './shared';

const TYPE_ENTITY = 'packageType';

/** HQ owns every package type once it sends one: terms and sale status then change only at HQ. */
const useFromHq = () => useHqOwnership(TYPE_ENTITY).ownsAll;

/** `back`: on a form page reached by its address (a bookmark, an old link), the way back to the list. */
function OwnedByHqAlert({ back = false }: { back?: boolean }) {
  return (
    <Alert color="blue" title="Owned by HQ">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">Package types come from HQ: new packages, changed terms and withdrawals arrive with the next sync. Selling them here is not affected.</Text>
        {back ? (
          <Button component={Link} to={`${PKG_BASE}/types`} variant="light" autoFocus>
            Back to package types
          </Button>
        ) : null}
      </Stack>
    </Alert>
  );
}

const validityText = (t: PackageType) =>
  t.validityKind === 'fixed_date' ? `until ${t.validUntil}` : t.validityKind === 'days_from_purchase' ? `${t.validityDays} days from purchase` : `${t.validityDays} days from first use`;

/** The package catalogue: what is on sale, on which terms, and whether those terms are frozen by a sale. */
export function TypesListPage() {
  const navigate = useNavigate();
  const session = useSession();
  const [status, setStatus] = useState<string>('on_sale');
  const types = useRpcQuery(typesList, status === 'all' ? {} : { status: status as 'on_sale' | 'withdrawn' });
  const fromHq = useFromHq();
  return (
    <>
      <PageHeader
        title="Package types"
        subtitle={
          fromHq
            ? 'Services × sessions or a shared pool, price, validity and limits. Package types come from HQ: changes arrive with the next sync.'
            : 'Services × sessions or a shared pool, price, validity and limits. Terms freeze with the first sale.'
        }
        badge={fromHq ? <Badge variant="light">Owned by HQ</Badge> : undefined}
        actions={
          session.can('homeServices.packages', 'edit') && !fromHq ? (
            <Button component={Link} to={`${PKG_BASE}/types/new`}>
              New package
            </Button>
          ) : null
        }
      />
      <FunctionTabs />
      <SegmentedControl
        mb="md"
        value={status}
        onChange={setStatus}
        data={[
          { value: 'on_sale', label: 'On sale' },
          { value: 'withdrawn', label: 'Withdrawn' },
          { value: 'all', label: 'All' },
        ]}
      />
      {types.error ? <ErrorAlert error={types.error} /> : null}
      <DataTable
        label="Package types"
        rows={types.data ?? []}
        loading={types.isLoading}
        rowKey="id"
        onOpen={(t) => navigate(`${PKG_BASE}/types/${t.id}`)}
        empty={
          <EmptyState
            title="No packages here"
            description={fromHq ? 'Packages HQ publishes appear here after the next sync.' : 'Create a package: the services it covers, how many sessions, its price and how long it is valid.'}
          />
        }
        columns={[
          { key: 'code', header: 'Code' },
          { key: 'name', header: 'Name' },
          { key: 'sessions', header: 'Sessions', render: (t) => `${t.sessionsTotal} · ${t.services.map((s) => s.serviceName).join(', ')}` },
          { key: 'validity', header: 'Valid', render: validityText },
          { key: 'priceMinor', header: 'Price', align: 'right', render: (t) => <MoneyText value={t.priceMinor} /> },
          { key: 'soldCount', header: 'Sold', align: 'right' },
          { key: 'status', header: 'Status', render: (t) => <StatusBadge status={t.status === 'on_sale' ? 'active' : 'inactive'} label={PACKAGE_TYPE_STATUSES[t.status]} /> },
        ]}
      />
    </>
  );
}

interface FormValues extends Record<string, unknown> {
  code: string;
  name: string;
  description: string;
  price: string;
  poolKind: PoolKind;
  poolSessions: string;
  validityKind: ValidityKind;
  validityDays: string;
  validUntil: string;
  purchaseLimit: string;
  lateCancelConsumes: boolean;
  noShowConsumes: boolean;
  services: { serviceId: string; sessions: string }[];
}

const blank: FormValues = {
  code: '',
  name: '',
  description: '',
  price: '',
  poolKind: 'per_service',
  poolSessions: '',
  validityKind: 'days_from_purchase',
  validityDays: '180',
  validUntil: '',
  purchaseLimit: '',
  lateCancelConsumes: false,
  noShowConsumes: false,
  services: [{ serviceId: '', sessions: '5' }],
};

const fromType = (t: PackageType): FormValues => ({
  code: t.code,
  name: t.name,
  description: t.description ?? '',
  price: formatAmount(t.priceMinor).replace(/,/g, ''),
  poolKind: t.poolKind,
  poolSessions: t.poolSessions ? String(t.poolSessions) : '',
  validityKind: t.validityKind,
  validityDays: t.validityDays ? String(t.validityDays) : '',
  validUntil: t.validUntil ?? '',
  purchaseLimit: t.purchaseLimit ? String(t.purchaseLimit) : '',
  lateCancelConsumes: t.lateCancelConsumes,
  noShowConsumes: t.noShowConsumes,
  services: t.services.map((s) => ({ serviceId: s.serviceId, sessions: s.sessions ? String(s.sessions) : '' })),
});

const num = (text: string) => (text.trim() === '' ? undefined : Number(text));

/** The package form: the same zod contract as the server, errors beside their fields, Enter submits. */
function TypeForm({ existing, fromHq = false }: { existing?: PackageType; fromHq?: boolean }) {
  const navigate = useNavigate();
  const catalogue = useRpcQuery(servicesList, {});
  const create = useRpcMutation(typesCreate, { notifyErrors: false });
  const update = useRpcMutation(typesUpdate, { notifyErrors: false });
  const schema = existing ? packageTypeUpdateInput : packageTypeCreateInput;
  const form = useZodForm(schema, existing ? fromType(existing) : blank, (v) => ({
    ...(existing ? { id: existing.id, version: existing.version } : { code: v.code }),
    name: v.name,
    ...(v.description.trim() ? { description: v.description } : {}),
    priceMinor: parseAmount(v.price) ?? Number.NaN,
    poolKind: v.poolKind,
    ...(v.poolKind === 'shared_pool' ? { poolSessions: num(v.poolSessions) } : {}),
    services: v.services.map((s) => ({ serviceId: s.serviceId, ...(v.poolKind === 'per_service' ? { sessions: num(s.sessions) } : {}) })),
    validityKind: v.validityKind,
    ...(v.validityKind === 'fixed_date' ? { validUntil: v.validUntil || undefined } : { validityDays: num(v.validityDays) }),
    ...(v.purchaseLimit.trim() ? { purchaseLimit: num(v.purchaseLimit) } : {}),
    lateCancelConsumes: v.lateCancelConsumes,
    noShowConsumes: v.noShowConsumes,
  }));
  const v = form.values;
  const mutation = existing ? update : create;
  const sold = existing?.firstSoldAt !== null && existing !== undefined;
  // Read-only when customers bought these terms, or when HQ owns package types.
  const frozen = sold || fromHq;
  const setService = (i: number, patch: Partial<FormValues['services'][number]>) => form.setField('services', v.services.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const submit = form.onSubmit((input) => {
    const onError = (err: unknown) => form.applyServerErrors(err);
    if (existing) update.mutate({ input: input as never }, { onSuccess: (t) => navigate(`${PKG_BASE}/types/${t.id}`), onError });
    else create.mutate({ input: input as never }, { onSuccess: (t) => navigate(`${PKG_BASE}/types/${t.id}`), onError });
  });
  return (
    <form onSubmit={submit}>
      <Stack maw={720}>
        {fromHq ? <OwnedByHqAlert /> : null}
        {sold && !fromHq ? (
          <Alert color="yellow" title="Terms are frozen">
            This package was sold on <DateText value={existing.firstSoldAt} format="date" />: customers bought these terms, so they cannot change. Withdraw it and
            create a new package instead.
          </Alert>
        ) : null}
        <Group grow align="flex-start">
          {existing ? <TextInput label="Code" value={existing.code} readOnly /> : <TextInput label="Code" {...form.text('code')} autoFocus description="Letters, digits and dashes" />}
          <TextInput label="Name" {...form.text('name')} autoFocus={!!existing} disabled={frozen} />
        </Group>
        <Textarea label="Description" {...form.text('description')} autosize minRows={1} disabled={frozen} />
        <Group grow align="flex-start">
          <TextInput label="Price" {...form.text('price')} error={form.errors.priceMinor} inputMode="decimal" disabled={frozen} />
          <TextInput label="Purchase limit per customer" {...form.text('purchaseLimit')} description="Empty: no limit" disabled={frozen} />
        </Group>
        <SegmentedControl
          value={v.poolKind}
          onChange={(value) => form.setField('poolKind', value as PoolKind)}
          data={Object.entries(POOL_KINDS).map(([value, label]) => ({ value, label }))}
          disabled={frozen}
        />
        {v.poolKind === 'shared_pool' ? <TextInput label="Sessions in the pool" {...form.text('poolSessions')} w={200} disabled={frozen} /> : null}
        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Text size="sm" fw={600}>
              Services covered
            </Text>
            {v.services.map((s, i) => (
              <Group key={i} align="flex-start">
                <Select
                  label={i === 0 ? 'Service' : undefined}
                  aria-label={`Service ${i + 1}`}
                  searchable
                  value={s.serviceId || null}
                  onChange={(value) => setService(i, { serviceId: value ?? '' })}
                  data={(catalogue.data ?? []).map((c) => ({ value: c.id, label: `${c.sku} ${c.name} (${formatAmount(c.priceMinor)})` }))}
                  error={form.errors[`services.${i}.serviceId`]}
                  style={{ flex: 1 }}
                  disabled={frozen}
                />
                {v.poolKind === 'per_service' ? (
                  <NumberInput
                    label={i === 0 ? 'Sessions' : undefined}
                    aria-label={`Sessions of service ${i + 1}`}
                    value={s.sessions}
                    onChange={(value) => setService(i, { sessions: String(value) })}
                    min={1}
                    w={110}
                    error={form.errors[`services.${i}.sessions`]}
                    disabled={frozen}
                  />
                ) : null}
                <ActionIcon variant="subtle" color="red" mt={i === 0 ? 28 : 4} aria-label={`Remove service ${i + 1}`} onClick={() => form.setField('services', v.services.filter((_, j) => j !== i))} disabled={frozen || v.services.length === 1}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            {form.errors.services ? <Text c="red" size="sm">{form.errors.services}</Text> : null}
            <Button variant="subtle" size="xs" w="fit-content" onClick={() => form.setField('services', [...v.services, { serviceId: '', sessions: '1' }])} disabled={frozen}>
              Add a service
            </Button>
          </Stack>
        </Paper>
        <Group align="flex-start" grow>
          <Select
            label="Valid"
            value={v.validityKind}
            onChange={(value) => value && form.setField('validityKind', value as ValidityKind)}
            data={Object.entries(VALIDITY_KINDS).map(([value, label]) => ({ value, label }))}
            disabled={frozen}
          />
          {v.validityKind === 'fixed_date' ? (
            <TextInput label="Until" type="date" {...form.text('validUntil')} disabled={frozen} />
          ) : (
            <TextInput label="Days" {...form.text('validityDays')} description="The first day counts" disabled={frozen} />
          )}
        </Group>
        <Checkbox label="A late cancellation uses a session" checked={v.lateCancelConsumes} onChange={(e) => form.setField('lateCancelConsumes', e.currentTarget.checked)} disabled={frozen} />
        <Checkbox label="A no-show uses a session" checked={v.noShowConsumes} onChange={(e) => form.setField('noShowConsumes', e.currentTarget.checked)} disabled={frozen} />
        {mutation.error && !Object.keys(form.errors).length ? <ErrorAlert error={mutation.error} /> : null}
        {!frozen ? (
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              {existing ? 'Save terms' : 'Put on sale'}
            </Button>
            <Text size="xs" c="dimmed">
              Enter saves
            </Text>
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}

export function TypeFormPage() {
  const fromHq = useFromHq();
  return (
    <>
      <PageHeader title="New package" subtitle="Once the first one is sold, its terms can no longer change." />
      <FunctionTabs />
      {fromHq ? <OwnedByHqAlert back /> : <TypeForm />}
    </>
  );
}

/** One package type: its terms (editable until the first sale), its sales, and its audit trail. */
export function TypeDetailPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const type = useRpcQuery(typesGet, { id });
  const setStatus = useRpcMutation(typesSetStatus);
  const fromHq = useFromHq();
  if (type.error) return <ErrorAlert error={type.error} onRetry={() => void type.refetch()} />;
  if (!type.data) return null;
  const t = type.data;
  const canEdit = session.can('homeServices.packages', 'edit');
  return (
    <>
      <PageHeader
        title={`${t.code} · ${t.name}`}
        badge={
          <Group gap={4}>
            <StatusBadge status={t.status === 'on_sale' ? 'active' : 'inactive'} label={PACKAGE_TYPE_STATUSES[t.status]} />
            {t.firstSoldAt ? <Badge color="gray">Terms frozen</Badge> : null}
            {fromHq ? <Badge variant="light">Owned by HQ</Badge> : null}
          </Group>
        }
        subtitle={`${formatAmount(t.priceMinor)} · ${t.sessionsTotal} sessions · ${validityText(t)} · ${t.soldCount === 0 ? 'not sold yet' : t.soldCount === 1 ? 'sold once' : `sold ${t.soldCount} times`}`}
        actions={
          canEdit ? (
            <>
              <Button variant="default" component={Link} to={`${PKG_BASE}?packageTypeId=${t.id}`}>
                Who holds it
              </Button>
              {fromHq ? null : (
                <Button
                  variant={t.status === 'on_sale' ? 'light' : 'filled'}
                  color={t.status === 'on_sale' ? 'red' : undefined}
                  loading={setStatus.isPending}
                  onClick={() => setStatus.mutate({ input: { id: t.id, version: t.version, status: t.status === 'on_sale' ? 'withdrawn' : 'on_sale' } })}
                >
                  {t.status === 'on_sale' ? 'Withdraw from sale' : 'Put back on sale'}
                </Button>
              )}
            </>
          ) : null
        }
      />
      <FunctionTabs />
      <Tabs defaultValue="terms">
        <Tabs.List mb="md">
          <Tabs.Tab value="terms">Terms</Tabs.Tab>
          <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="terms">{canEdit ? <TypeForm key={t.version} existing={t} fromHq={fromHq} /> : <Text size="sm">{t.description}</Text>}</Tabs.Panel>
        <Tabs.Panel value="audit">
          <AuditTrail entity={TYPE_ENTITY} entityId={t.id} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
