import { Button, Group, Paper, Progress, Skeleton, Stack, Text } from '@mantine/core';
import { IconDownload, IconPlayerStop } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { jobsCancel, jobsGet, type Job } from '../../src-shared/contracts/kernel';
import { downloadJobFile } from '../api/client';
import { notifyError } from '../api/hooks';
import { useRpcMutation, useRpcQuery } from '../api/hooks';
import { ErrorAlert } from './ErrorAlert';
import { StatusBadge } from './StatusBadge';
import { ValueView } from './ValueView';

const FINISHED: readonly Job['state'][] = ['succeeded', 'failed', 'cancelled'];
export const isJobFinished = (job: Job): boolean => FINISHED.includes(job.state);

/** A job whose result names a file (an export, an error report) can be downloaded. */
export function jobHasFile(job: Job): boolean {
  const result = job.result;
  return job.state === 'succeeded' && typeof result === 'object' && result !== null && ('fileName' in result || 'file' in result);
}

export interface JobProgressProps {
  jobId: string;
  /** Called once, when the job reaches succeeded, failed or cancelled. */
  onDone?(job: Job): void;
  /** Hide the result table (the caller shows the result its own way). */
  hideResult?: boolean;
}

/** Live progress of a background job (import, export, billing run) with Cancel and the outcome. */
export function JobProgress({ jobId, onDone, hideResult = false }: JobProgressProps) {
  const job = useRpcQuery(jobsGet, { id: jobId }, { refetchInterval: (data) => (data && isJobFinished(data) ? false : 500) });
  const cancel = useRpcMutation(jobsCancel, { invalidate: ['jobs.'] });
  const [downloading, setDownloading] = useState(false);
  const reported = useRef(false);

  useEffect(() => {
    if (!job.data || !isJobFinished(job.data)) return;
    if (!reported.current) {
      reported.current = true;
      onDone?.(job.data);
    }
  }, [job.data, onDone]);

  if (job.isPending) return <Skeleton height={72} />;
  if (job.isError) return <ErrorAlert error={job.error} onRetry={() => void job.refetch()} />;

  const current = job.data;
  const running = !isJobFinished(current);
  const percent = Math.round(current.progress * 100);
  const barColor = current.state === 'failed' ? 'red' : current.state === 'cancelled' ? 'gray' : current.state === 'succeeded' ? 'green' : 'blue';

  const download = async () => {
    setDownloading(true);
    try {
      await downloadJobFile(current.id);
    } catch (err) {
      notifyError(err);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Paper withBorder p="sm" radius="md">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" fw={600} truncate>
              {current.title}
            </Text>
            <StatusBadge status={current.state} />
          </Group>
          <Group gap="xs" wrap="nowrap">
            {running ? (
              <Button
                size="compact-sm"
                variant="default"
                leftSection={<IconPlayerStop size={14} />}
                loading={cancel.isPending}
                onClick={() => cancel.mutate({ input: { id: current.id } })}
              >
                Cancel
              </Button>
            ) : null}
            {jobHasFile(current) ? (
              <Button size="compact-sm" leftSection={<IconDownload size={14} />} loading={downloading} onClick={() => void download()}>
                Download
              </Button>
            ) : null}
          </Group>
        </Group>
        <Progress
          value={current.state === 'succeeded' ? 100 : percent}
          color={barColor}
          striped={running}
          animated={running}
          size="md"
          aria-label={`${current.title}: ${percent}%`}
        />
        <Text size="xs" c="dimmed">
          {running ? `${percent}% · ${current.message ?? 'Working…'}` : (current.message ?? '')}
        </Text>
        {current.state === 'failed' && current.error ? (
          <Text size="sm" c="red">
            {current.error}
          </Text>
        ) : null}
        {current.state === 'cancelled' ? (
          <Text size="sm" c="dimmed">
            Cancelled: nothing half-written was kept. Start it again when you are ready.
          </Text>
        ) : null}
        {!hideResult && current.state === 'succeeded' && current.result !== null && typeof current.result === 'object' ? (
          <ValueView value={current.result} />
        ) : null}
      </Stack>
    </Paper>
  );
}
