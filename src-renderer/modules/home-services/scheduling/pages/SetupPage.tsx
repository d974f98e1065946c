import { Badge, Button, ColorSwatch, Group, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { WEEKDAY_LABELS } from '../../../../../src-shared/contracts/home-services/common';
import {
  customersList,
  servicesList,
  techniciansList,
  zonesList,
  type Customer,
  type Service,
  type Technician,
  type Zone,
} from '../../../../../src-shared/contracts/home-services/master-data';
import { useRpcPages, useRpcQuery, useSession } from '../../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, LoadMore, MoneyText, PageHeader } from '../../../../components';
import { SchedulingTabs } from '../components/SchedulingTabs';
import { ServiceDialog, TechnicianDialog, TimeOffDialog, ZoneDialog } from '../components/MasterDataForms';
import { NewCustomerDialog } from '../components/NewCustomerDialog';

const TABS = ['technicians', 'services', 'customers', 'zones'] as const;
type Tab = (typeof TABS)[number];

const weekSummary = (t: Technician) => {
  const days = [...new Set(t.hours.map((h) => h.weekday))].sort();
  if (days.length === 0) return 'No hours';
  const first = t.hours[0]!;
  return `${days.map((d) => WEEKDAY_LABELS[d]!.slice(0, 3)).join(' ')} · ${first.start}–${first.end}`;
};

/** Branch set-up for the field functions: technicians (skills, zones, hours, time off), the catalogue, customers and zones. */
export function SetupPage() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((t) => t === params.get('tab')) ?? 'technicians';
  const admin = can('homeServices.scheduling', 'admin');
  const [dialog, setDialog] = useState<{ kind: 'technician' | 'service' | 'zone' | 'customer' | 'timeOff'; technician?: Technician; service?: Service; zone?: Zone } | null>(null);
  const technicians = useRpcQuery(techniciansList, { includeInactive: true });
  const services = useRpcQuery(servicesList, { includeInactive: true });
  const zones = useRpcQuery(zonesList, {});
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const customers = useRpcPages(customersList, { ...(debounced ? { search: debounced } : {}) });

  return (
    <Stack gap={0}>
      <PageHeader
        title="Technicians & catalogue"
        subtitle="Who can do what, where and when; what the branch offers; who its customers are. Availability and dispatch work from these."
        actions={
          <>
            {admin && tab === 'technicians' ? (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'technician' })}>
                New technician
              </Button>
            ) : null}
            {admin && tab === 'services' ? (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'service' })}>
                New service
              </Button>
            ) : null}
            {admin && tab === 'zones' ? (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'zone' })}>
                New zone
              </Button>
            ) : null}
            {can('homeServices.scheduling', 'create') && tab === 'customers' ? (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'customer' })}>
                New customer
              </Button>
            ) : null}
          </>
        }
      />
      <SchedulingTabs />
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'technicians' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="technicians">Technicians</Tabs.Tab>
          <Tabs.Tab value="services">Services</Tabs.Tab>
          <Tabs.Tab value="customers">Customers</Tabs.Tab>
          <Tabs.Tab value="zones">Zones</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="technicians">
          {technicians.isError ? <ErrorAlert error={technicians.error} /> : null}
          <DataTable<Technician>
            label="Technicians"
            rows={technicians.data ?? []}
            rowKey="id"
            loading={technicians.isPending}
            onOpen={admin ? (t) => setDialog({ kind: 'technician', technician: t }) : undefined}
            columns={[
              {
                key: 'name',
                header: 'Technician',
                render: (t) => (
                  <Group gap="xs" wrap="nowrap">
                    <ColorSwatch color={`var(--mantine-color-${t.color}-filled)`} size={12} />
                    <Text size="sm">
                      {t.name} <Text span size="xs" c="dimmed">{t.code}</Text>
                    </Text>
                    {!t.active ? <Badge size="xs" color="gray">Inactive</Badge> : null}
                  </Group>
                ),
              },
              { key: 'skills', header: 'Skills', render: (t) => t.skills.map((s) => `${s.skill} ${s.level}`).join(', ') || '—' },
              { key: 'zones', header: 'Zones', render: (t) => t.zones.map((z) => z.code).join(', ') || 'All customers without a zone' },
              { key: 'hours', header: 'Hours', render: weekSummary },
              { key: 'user', header: 'Signs in as', render: (t) => t.userName ?? '—' },
              {
                key: 'timeOff',
                header: '',
                render: (t) =>
                  can('homeServices.dispatch', 'edit') ? (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={(event) => {
                        event.stopPropagation();
                        setDialog({ kind: 'timeOff', technician: t });
                      }}
                    >
                      Time off…
                    </Button>
                  ) : null,
              },
            ]}
            empty={<EmptyState title="No technicians yet" description="Add the first technician with their skills, zones and working hours." />}
          />
        </Tabs.Panel>
        <Tabs.Panel value="services">
          <DataTable<Service>
            label="Services"
            rows={services.data ?? []}
            rowKey="id"
            loading={services.isPending}
            onOpen={admin ? (s) => setDialog({ kind: 'service', service: s }) : undefined}
            columns={[
              { key: 'sku', header: 'SKU', render: (s) => <Text size="sm" ff="monospace">{s.sku}</Text> },
              { key: 'name', header: 'Service', render: (s) => <Text size="sm" c={s.active ? undefined : 'dimmed'}>{s.name}{s.active ? '' : ' (not offered)'}</Text> },
              { key: 'category', header: 'Category' },
              { key: 'duration', header: 'Duration', render: (s) => `${s.durationMinutes} min${s.bufferMinutes ? ` + ${s.bufferMinutes}` : ''}` },
              { key: 'skills', header: 'Needs', render: (s) => s.requiredSkills.map((r) => `${r.skill} ≥ ${r.minLevel}`).join(', ') || '—' },
              { key: 'capacity', header: 'At once', render: (s) => s.slotCapacity ?? 'Any' },
              { key: 'price', header: 'Price', align: 'right', render: (s) => <MoneyText value={s.priceMinor} /> },
            ]}
            empty={<EmptyState title="The catalogue is empty" description="Add the services the branch offers, with their duration, skills and price." />}
          />
        </Tabs.Panel>
        <Tabs.Panel value="customers">
          <TextInput
            placeholder="Search by name, number, phone or address"
            leftSection={<IconSearch size={14} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            mb="sm"
            w={360}
            aria-label="Search customers"
          />
          <DataTable<Customer>
            label="Customers"
            rows={customers.rows as Customer[]}
            rowKey="id"
            loading={customers.query.isFetching && !customers.query.isFetchingNextPage}
            columns={[
              { key: 'customerNo', header: 'No.', render: (c) => <Text size="sm" ff="monospace">{c.customerNo}</Text> },
              { key: 'name', header: 'Name' },
              { key: 'phone', header: 'Phone', render: (c) => c.phone ?? '—' },
              { key: 'address', header: 'Address' },
              { key: 'zone', header: 'Zone', render: (c) => c.zoneCode ?? '—' },
              { key: 'pin', header: 'Map pin', render: (c) => (c.lat === null ? <Badge size="xs" color="yellow">None</Badge> : `${c.lat.toFixed(4)}, ${c.lng!.toFixed(4)}`) },
            ]}
            totalLabel={customers.total ? `${customers.rows.length} of ${customers.total}` : null}
            footer={
              <LoadMore query={customers.query} />
            }
            empty={<EmptyState title="No customers found" description="Register customers as they call, from the booking form or here." />}
          />
        </Tabs.Panel>
        <Tabs.Panel value="zones">
          {admin && zones.data?.length ? (
            <Text size="sm" c="dimmed" mb="xs">
              Open a zone to correct its name.
            </Text>
          ) : null}
          <DataTable
            label="Zones"
            rows={zones.data ?? []}
            rowKey="id"
            // Like a technician or a service, a zone opens for correction: here only its name can change.
            onOpen={admin ? (z) => setDialog({ kind: 'zone', zone: z }) : undefined}
            columns={[
              { key: 'code', header: 'Code' },
              { key: 'name', header: 'Name' },
              { key: 'technicianCount', header: 'Technicians', align: 'right' },
              { key: 'customerCount', header: 'Customers', align: 'right' },
            ]}
            empty={<EmptyState title="No zones yet" description="Zones say which technicians go where; customers without a zone can be served by anyone." />}
          />
        </Tabs.Panel>
      </Tabs>
      {dialog?.kind === 'technician' ? <TechnicianDialog technician={dialog.technician} opened onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'service' ? <ServiceDialog service={dialog.service} opened onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'zone' ? <ZoneDialog zone={dialog.zone} opened onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'customer' ? <NewCustomerDialog opened onClose={() => setDialog(null)} onCreated={() => undefined} /> : null}
      {dialog?.kind === 'timeOff' && dialog.technician ? <TimeOffDialog technician={dialog.technician} opened onClose={() => setDialog(null)} /> : null}
    </Stack>
  );
}
