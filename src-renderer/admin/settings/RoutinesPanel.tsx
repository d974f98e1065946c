import { Badge, Button, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlayerPlay, IconRepeat } from '@tabler/icons-react';
import { routinesList, routinesRunNow, type Routine } from '../../../src-shared/contracts/routines';
import { useRpcMutation, useRpcQuery, useSession } from '../../api/hooks';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { DateText } from '../../components/DateText';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';

const OUTCOME: Record<NonNullable<Routine['outcome']>, { label: string; color: string }> = {
  ok: { label: 'Ran', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
  skipped: { label: 'Skipped', color: 'yellow' },
};

const busy = (r: Routine) => r.requestedAt !== null || r.job?.state === 'queued' || r.job?.state === 'running';

function LastRun({ routine }: { routine: Routine }) {
  if (!routine.lastAttemptAt || !routine.outcome) return <Text size="sm" c="dimmed">Not run yet</Text>;
  const outcome = OUTCOME[routine.outcome];
  const jobFailed = routine.job && (routine.job.state === 'failed' || routine.job.state === 'cancelled');
  return (
    <div>
      <Text size="sm">
        <Badge size="sm" variant="light" color={outcome.color} mr={6}>
          {outcome.label}
        </Badge>
        <DateText value={routine.lastAttemptAt} />
        {routine.lastRunAsName ? <Text span size="xs" c="dimmed"> as {routine.lastRunAsName}</Text> : null}
      </Text>
      {routine.message ? (
        <Text size="xs" c={routine.outcome === 'ok' ? 'dimmed' : outcome.color} lineClamp={2}>
          {routine.message}
          {routine.job ? ` · job ${routine.job.state}` : null}
        </Text>
      ) : null}
      {jobFailed && routine.job?.error ? (
        <Text size="xs" c="red" lineClamp={2}>
          {routine.job.error}
        </Text>
      ) : null}
    </div>
  );
}

/**
 * The background routines on the settings screen: when each last ran and how, when it runs next,
 * who it runs as, and "Run now" for administrators. Switching one off is its setting above.
 */
export function RoutinesPanel() {
  const { can } = useSession();
  const mayRun = can('jobs', 'admin');
  // Poll quickly while a run was asked for or its job is working, otherwise now and then.
  const routines = useRpcQuery(routinesList, {}, { refetchInterval: (rows) => (rows?.some(busy) ? 2000 : 60_000) });
  const runNow = useRpcMutation(routinesRunNow, {
    invalidate: ['system.routines.', 'jobs.'],
    onSuccess: (routine) => notifications.show({ color: 'blue', message: `${routine.label}: asked to run now; it starts within moments.` }),
  });

  const columns: DataColumn<Routine>[] = [
    {
      key: 'routine',
      header: 'Routine',
      render: (r) => (
        <div>
          <Text size="sm" fw={500}>
            {r.label}
          </Text>
          <Text size="xs" c="dimmed">
            {r.description}
          </Text>
        </div>
      ),
    },
    {
      key: 'cadence',
      header: 'When',
      width: 200,
      render: (r) => (
        <div>
          <Text size="sm">{r.cadence}</Text>
          {r.enabled ? (
            r.nextDueAt ? (
              <Text size="xs" c="dimmed">
                Next <DateText value={r.nextDueAt} />
              </Text>
            ) : null
          ) : (
            <Tooltip label={`Switch it on with the setting ${r.enabledSetting ?? ''}`} withArrow>
              <Badge size="sm" variant="light" color="gray">
                Off
              </Badge>
            </Tooltip>
          )}
        </div>
      ),
    },
    {
      key: 'runsAs',
      header: 'Runs as',
      width: 180,
      render: (r) =>
        r.runsAs ? (
          <Text size="sm">{r.runsAs.displayName}</Text>
        ) : (
          <Tooltip label={r.permission ? `Give ${r.permission} to a role with an active user` : 'No active user'} withArrow>
            <Text size="sm" c="red">
              Nobody may run it
            </Text>
          </Tooltip>
        ),
    },
    { key: 'last', header: 'Last run', width: 320, render: (r) => <LastRun routine={r} /> },
  ];
  if (mayRun) {
    columns.push({
      key: 'run',
      header: '',
      width: 120,
      align: 'right',
      render: (r) => (
        <Button
          size="xs"
          variant="default"
          leftSection={<IconPlayerPlay size={14} />}
          aria-label={`Run ${r.label} now`}
          loading={(runNow.isPending && runNow.variables?.input.name === r.name) || r.requestedAt !== null}
          onClick={(event) => {
            event.stopPropagation();
            runNow.mutate({ input: { name: r.name } });
          }}
        >
          Run now
        </Button>
      ),
    });
  }

  return (
    <Stack gap="xs" mt="xl">
      <div>
        <Title order={3}>Background routines</Title>
        <Text size="sm" c="dimmed">
          Work the app does by itself while it is open, through the same checks and journal as a person would; a run missed while it
          was closed happens at the next start.
        </Text>
      </div>
      {routines.isError ? (
        <ErrorAlert error={routines.error} onRetry={() => void routines.refetch()} />
      ) : (
        <Paper withBorder>
          <DataTable
            label="Background routines"
            rows={routines.data ?? []}
            columns={columns}
            rowKey="name"
            loading={routines.isPending}
            empty={<EmptyState icon={<IconRepeat size={24} stroke={1.5} />} title="No routines" description="This app runs nothing by itself." />}
          />
        </Paper>
      )}
    </Stack>
  );
}
