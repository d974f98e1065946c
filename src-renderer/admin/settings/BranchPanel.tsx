import { Button, Group, Paper, Select, SimpleGrid, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo } from 'react';
import { WEEKDAYS, branchGet, branchUpdate, type BranchProfile } from '../../../src-shared/contracts/kernel';
import { useZodForm } from '../../api/forms';
import { useRpcMutation, useRpcQuery, useSession } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';

interface Values extends Record<string, unknown> {
  name: string;
  timeZone: string;
  weekStart: string;
  reason: string;
}

const valuesOf = (b: BranchProfile): Values => ({ name: b.name, timeZone: b.timeZone, weekStart: String(b.weekStart), reason: '' });

/** Every zone the runtime knows; Chromium and Node both ship the full IANA list. */
function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return known.includes(current) ? known : [current, ...known];
}

/**
 * The branch profile at the top of the settings screen: the calendar every daily, weekly and
 * monthly figure is counted in. Stored times are UTC, so a change re-buckets history rather than
 * rewriting it; the reason is kept in the journal.
 */
export function BranchPanel() {
  const { can } = useSession();
  const editable = can('admin.settings', 'edit');
  const branch = useRpcQuery(branchGet, {});
  const form = useZodForm(branchUpdate.input, { name: '', timeZone: '', weekStart: '1', reason: '' }, (v) => ({ ...v, weekStart: Number(v.weekStart) }));
  const { reset } = form;
  useEffect(() => {
    if (branch.data) reset(valuesOf(branch.data));
    // Reset only when the stored profile changes, not on every render of the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [branch.data]);
  const update = useRpcMutation(branchUpdate, {
    invalidate: ['admin.branch.', 'system.', 'reports.', 'dashboard.'],
    onSuccess: (saved) => notifications.show({ color: 'green', message: `Saved: ${saved.name} now counts days in ${saved.timeZone}, weeks from ${WEEKDAYS[saved.weekStart]}.` }),
  });
  const zones = useMemo(() => timeZones(branch.data?.timeZone ?? 'UTC'), [branch.data?.timeZone]);

  if (branch.isError) return <ErrorAlert error={branch.error} onRetry={() => void branch.refetch()} />;
  const dirty =
    branch.data !== undefined &&
    (form.values.name !== branch.data.name || form.values.timeZone !== branch.data.timeZone || Number(form.values.weekStart) !== branch.data.weekStart);

  return (
    <Paper withBorder p="md" mb="md" component="form" aria-label="Branch profile" onSubmit={form.onSubmit((input) => update.mutate({ input }, { onError: (e) => form.applyServerErrors(e) }))}>
      <Stack gap="sm">
        <div>
          <Title order={4}>Branch</Title>
          <Text size="sm" c="dimmed">
            Reports count days, weeks and months in this time zone and week. Times are stored in UTC, so changing them re-groups history; nothing is rewritten.
          </Text>
        </div>
        {branch.isPending ? (
          <Skeleton h={60} />
        ) : (
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <TextInput label="Branch name" disabled={!editable} {...form.text('name')} />
            <Select
              label="Time zone"
              searchable
              disabled={!editable}
              data={zones}
              value={form.values.timeZone}
              onChange={(zone) => form.setField('timeZone', zone ?? '')}
              error={form.errors.timeZone}
              nothingFoundMessage="No time zone by that name"
            />
            <Select
              label="Weeks start on"
              disabled={!editable}
              data={WEEKDAYS.map((day, index) => ({ value: String(index), label: day }))}
              value={form.values.weekStart}
              onChange={(day) => form.setField('weekStart', day ?? '1')}
              error={form.errors.weekStart}
              allowDeselect={false}
            />
          </SimpleGrid>
        )}
        {editable && dirty ? (
          <Group align="flex-end">
            <TextInput label="Reason for the change" placeholder="Kept in the audit journal" style={{ flex: 1 }} {...form.text('reason')} />
            <Button variant="default" onClick={() => branch.data && reset(valuesOf(branch.data))}>
              Undo
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save branch
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
