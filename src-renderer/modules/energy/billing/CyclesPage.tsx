import { Badge, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { accountsList } from '../../../../src-shared/contracts/energy/meter-readings';
import { billingAccountsAssign, cyclesCalendar, cyclesCreate, cyclesList } from '../../../../src-shared/contracts/energy/billing';
import { useRpcMutation, useRpcQuery, useSession } from '../../../api/hooks';
import { useZodForm } from '../../../api/forms';
import { DataTable, EmptyState, ErrorAlert, PageHeader, StatusBadge } from '../../../components';

/** Billing cycles, each one's calendar of periods and runs, and putting accounts on a cycle. */
function NewCycle({ onClose }: { onClose(): void }) {
  const create = useRpcMutation(cyclesCreate, { notifyErrors: false });
  const form = useZodForm(cyclesCreate.input, { code: '', name: '', closeDay: '25' }, (v) => ({ ...v, closeDay: Number(v.closeDay) }));
  return (
    <Modal opened onClose={onClose} title="New billing cycle">
      <form onSubmit={form.onSubmit((input) => create.mutate({ input }, { onSuccess: onClose, onError: (e) => form.applyServerErrors(e) }))}>
        <Stack>
          <TextInput label="Code" {...form.text('code')} data-autofocus />
          <TextInput label="Name" {...form.text('name')} />
          <TextInput label="Closes on day" description="1–28 of every month" {...form.text('closeDay')} />
          {create.error && create.error.code !== 'VALIDATION' ? <ErrorAlert error={create.error} /> : null}
          <Button type="submit" loading={create.isPending}>
            Create cycle
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

function AssignAccount({ cycleId }: { cycleId: string }) {
  const [search, setSearch] = useState('');
  const [start, setStart] = useState('');
  const found = useRpcQuery(accountsList, { search, limit: 5 }, { enabled: search.length >= 3 });
  const assign = useRpcMutation(billingAccountsAssign, { invalidate: ['energy.billing.'] });
  const account = found.data?.rows[0];
  return (
    <Paper withBorder p="md">
      <Text fw={600} mb="xs">
        Put an account on this cycle
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (account && start) assign.mutate({ input: { accountId: account.id, cycleId, billingStart: start } }, { onSuccess: () => setSearch('') });
        }}
      >
        <Group align="flex-end">
          <TextInput label="Account" value={search} onChange={(e) => setSearch(e.currentTarget.value)} description={account ? `${account.accountNo} ${account.name}` : 'Account number, name or meter'} />
          <TextInput label="Billing starts" type="date" value={start} onChange={(e) => setStart(e.currentTarget.value)} />
          <Button type="submit" disabled={!account || !start} loading={assign.isPending}>
            Assign
          </Button>
        </Group>
        {assign.error ? <ErrorAlert error={assign.error} /> : null}
      </form>
    </Paper>
  );
}

export function CyclesPage() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const cycles = useRpcQuery(cyclesList, {});
  const selected = params.get('cycle') ?? cycles.data?.[0]?.id ?? null;
  const calendar = useRpcQuery(cyclesCalendar, { id: selected ?? '' }, { enabled: !!selected });
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Billing cycles"
        subtitle="Each cycle closes on a day of the month; a run bills a closed period once."
        actions={session.can('energy.billing', 'admin') ? <Button onClick={() => setCreating(true)}>New cycle</Button> : null}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <DataTable
          label="Cycles"
          rows={cycles.data ?? []}
          loading={cycles.isLoading}
          rowKey="id"
          onOpen={(c) => setParams({ cycle: c.id })}
          empty={<EmptyState title="No cycles yet" description="Create a cycle, then put accounts on it." />}
          columns={[
            { key: 'code', header: 'Code' },
            { key: 'name', header: 'Name' },
            { key: 'closeDay', header: 'Closes on', align: 'right' },
            { key: 'accountCount', header: 'Accounts', align: 'right' },
            { key: 'last', header: 'Last closed period', render: (c) => <>{c.lastClosedPeriodEnd} {c.lastClosedBilled ? <Badge size="xs" color="green">billed</Badge> : <Badge size="xs" color="orange">to bill</Badge>}</> },
          ]}
        />
        <Stack>
          {calendar.data ? (
            <Paper withBorder p="md">
              <Text fw={600} mb="xs">
                Calendar of {calendar.data.cycle.code}
              </Text>
              <Table aria-label="Cycle calendar">
                <Table.Tbody>
                  {calendar.data.periods.map((p) => (
                    <Table.Tr key={p.periodEnd}>
                      <Table.Td>
                        {p.periodStart} – {p.periodEnd}
                      </Table.Td>
                      <Table.Td>{p.closed ? 'closed' : 'open'}</Table.Td>
                      <Table.Td>{p.runStatus ? <StatusBadge status={p.runStatus} /> : '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          ) : null}
          {selected && session.can('energy.billing', 'edit') ? <AssignAccount cycleId={selected} /> : null}
        </Stack>
      </SimpleGrid>
      {creating ? <NewCycle onClose={() => setCreating(false)} /> : null}
    </>
  );
}
