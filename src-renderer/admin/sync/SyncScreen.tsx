import { Alert, Badge, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconClockExclamation, IconRefresh } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { syncNow, syncOwnership, syncStatus, type SyncStatus } from '../../../src-shared/contracts/sync';
import { useRpcMutation, useRpcQuery, useSession } from '../../api/hooks';
import { DateText } from '../../components/DateText';
import { ErrorAlert } from '../../components/ErrorAlert';
import { JobProgress } from '../../components/JobProgress';
import { PageHeader } from '../../components/PageHeader';
import { ConnectionForm } from './ConnectionForm';
import { ExceptionsPanel } from './ExceptionsPanel';
import { SYNC_STATE_COLOR, shortHash, syncStateLabel } from './labels';

function Figure({ label, children, hint }: { label: string; children: React.ReactNode; hint?: React.ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz="xl" fw={600} mt={4} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {children}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed" mt={2}>
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}

function Figures({ status }: { status: SyncStatus }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
      <Figure label="Last success" hint={status.nextAttemptAt ? <>Next: <DateText value={status.nextAttemptAt} /></> : `Every ${status.intervalMinutes} min once connected`}>
        <DateText value={status.lastSuccessAt} fallback="Never" />
      </Figure>
      <Figure label="Pending events" hint={status.localHead.seq === 0 ? 'No journal events at this branch yet' : `Of journal events 1–${status.localHead.seq.toLocaleString()} at this branch`}>
        {status.pendingEvents.toLocaleString()}
      </Figure>
      <Figure
        label="HQ anchor"
        hint={
          status.anchor.seq === 0 ? (
            'HQ holds nothing of this journal yet'
          ) : (
            <Tooltip label={status.anchor.hash} withArrow>
              <span>
                Hash {shortHash(status.anchor.hash)}
                {status.anchor.confirmedAt ? <> · confirmed <DateText value={status.anchor.confirmedAt} /></> : null}
              </span>
            </Tooltip>
          )
        }
      >
        {status.anchor.seq === 0 ? '—' : `Event ${status.anchor.seq.toLocaleString()}`}
      </Figure>
      <Figure label="Open exceptions" hint={status.masterCursor === 0 ? 'No master data from HQ applied yet' : `Master data from HQ applied up to change ${status.masterCursor.toLocaleString()}`}>
        <Text span inherit c={status.openExceptions > 0 ? 'red' : undefined}>
          {status.openExceptions}
        </Text>
      </Figure>
    </SimpleGrid>
  );
}

function Warnings({ status }: { status: SyncStatus }) {
  return (
    <>
      {status.driftWarning ? (
        <Alert color="yellow" variant="light" icon={<IconClockExclamation size={18} />} title="Clock drift">
          {status.driftWarning}
        </Alert>
      ) : null}
      {status.state === 'retrying' && status.lastError ? (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={`Sync failed ${status.consecutiveFailures} time${status.consecutiveFailures === 1 ? '' : 's'} in a row`}>
          {status.lastError}. Nothing is lost: events wait here and go up once HQ answers
          {status.nextAttemptAt ? <> (next try <DateText value={status.nextAttemptAt} format="time" />)</> : null}.
        </Alert>
      ) : null}
      {status.state === 'blocked' ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Sync stopped at an exception">
          {status.lastError ? `${status.lastError.replace(/\.$/, '')}.` : 'An exception below needs attention.'} Open it below to see what happened and resolve it.
        </Alert>
      ) : null}
    </>
  );
}

function OwnedByHq() {
  const owned = useRpcQuery(syncOwnership, {});
  if (!owned.data || owned.data.length === 0) return null;
  // A `*` row means HQ owns the whole type (none may be created here either), not one more record.
  const counts = new Map<string, { n: number; whole: boolean }>();
  for (const o of owned.data) {
    const c = counts.get(o.label) ?? { n: 0, whole: false };
    if (o.entityId === '*') c.whole = true;
    else c.n += 1;
    counts.set(o.label, c);
  }
  return (
    <Group gap="xs">
      <Text size="sm" c="dimmed">
        Read-only here, owned by HQ:
      </Text>
      {[...counts].map(([entity, { n, whole }]) => (
        <Badge key={entity} variant="default" size="sm">
          {whole ? `every ${entity}` : `${n} ${entity}${n === 1 ? '' : 's'}`}
        </Badge>
      ))}
    </Group>
  );
}

/**
 * Sync status: is this branch's journal safely at HQ, is anything stuck, does HQ's anchor match.
 * Polls while something is moving; everything on it is read through `sync.status`.
 */
export function SyncScreen() {
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const status = useRpcQuery(syncStatus, {}, { refetchInterval: (s) => (jobId || s?.state === 'running' ? 2_000 : 15_000) });
  const now = useRpcMutation(syncNow, { invalidate: ['sync.', 'jobs.'] });
  const s = status.data;
  const canSyncNow = s !== undefined && s.hqUrl !== null && s.hasToken && s.enabled;
  const connection = !s ? null : can('sync', 'admin') ? (
    <Paper withBorder p="md" radius="md" maw={720}>
      <Title order={3} fz="h5" mb="sm">
        Connection
      </Title>
      <ConnectionForm key={s.configVersion} status={s} />
    </Paper>
  ) : s.state === 'notConfigured' ? (
    <Alert color="gray" variant="light" title="Not connected to HQ">
      An administrator connects this branch: HQ registers it and issues a token, which is entered here.
    </Alert>
  ) : null;

  return (
    <>
      <PageHeader
        title="Sync to HQ"
        subtitle="Every change at this branch is in its journal; sync sends the journal to HQ and brings back HQ’s master data."
        badge={s ? <Badge color={SYNC_STATE_COLOR[s.state]} variant="light">{syncStateLabel(s.state)}</Badge> : null}
        actions={
          can('sync', 'submit') ? (
            <Tooltip label={canSyncNow ? 'Upload and download now instead of waiting for the interval' : 'Connect to HQ and turn sync on first'} withArrow>
              <Button
                leftSection={<IconRefresh size={16} />}
                disabled={!canSyncNow}
                loading={now.isPending}
                onClick={() => now.mutate({ input: {} }, { onSuccess: (r) => setJobId(r.jobId) })}
              >
                Sync now
              </Button>
            </Tooltip>
          ) : null
        }
      />
      {status.isError ? (
        <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />
      ) : !s ? (
        <Skeleton height={120} />
      ) : (
        <Stack gap="md">
          {/* Master data from HQ may have changed anything on screen, this user's own role included. */}
          {jobId ? <JobProgress key={jobId} jobId={jobId} hideResult onDone={() => void queryClient.invalidateQueries()} /> : null}
          <Warnings status={s} />
          <Figures status={s} />
          <OwnedByHq />
          {/* Until the branch is connected, connecting it is the one thing to do here: put it first. */}
          {s.state === 'notConfigured' ? connection : null}
          <Paper withBorder p="md" radius="md">
            <Title order={3} fz="h5" mb="sm">
              Exceptions
            </Title>
            <ExceptionsPanel />
          </Paper>
          {s.state === 'notConfigured' ? null : connection}
        </Stack>
      )}
    </>
  );
}
