import { ActionIcon, Button, Group, Indicator, Popover, Progress, ScrollArea, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconStack2 } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { jobsList, type Job } from '../../src-shared/contracts/kernel';
import { downloadJobFile } from '../api/client';
import { notifyError, useRpcQuery } from '../api/hooks';
import { DateText } from '../components/DateText';
import { EmptyState } from '../components/EmptyState';
import { isJobFinished, jobHasFile } from '../components/JobProgress';
import { StatusBadge } from '../components/StatusBadge';

function JobLine({ job }: { job: Job }) {
  const running = !isJobFinished(job);
  return (
    <Stack gap={4} py={6}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" fw={500} truncate miw={0}>
          {job.title}
        </Text>
        <StatusBadge status={job.state} style={{ flexShrink: 0 }} />
      </Group>
      {running ? <Progress value={job.progress * 100} size="sm" striped animated /> : null}
      <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
        <Text size="xs" c={job.state === 'failed' ? 'red' : 'dimmed'} lineClamp={2} miw={0}>
          {job.state === 'failed' ? job.error : running ? (job.message ?? `${Math.round(job.progress * 100)}%`) : <DateText value={job.finishedAt ?? job.createdAt} />}
        </Text>
        {jobHasFile(job) ? (
          <Button
            size="compact-xs"
            variant="light"
            leftSection={<IconDownload size={12} />}
            onClick={() => downloadJobFile(job.id).catch(notifyError)}
          >
            Download
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}

/**
 * Header badge for background work: counts running jobs, lists the recent ones, and tells the
 * user when one finishes while they are on another screen.
 */
export function JobsIndicator() {
  const [opened, setOpened] = useState(false);
  const jobs = useRpcQuery(
    jobsList,
    { activeOnly: false },
    { refetchInterval: (data) => (opened || data?.some((job) => !isJobFinished(job)) ? 1000 : 15_000) },
  );
  const seenStates = useRef(new Map<string, Job['state']>());

  const list = jobs.data ?? [];
  const running = list.filter((job) => !isJobFinished(job));

  useEffect(() => {
    for (const job of jobs.data ?? []) {
      const before = seenStates.current.get(job.id);
      if (before && !isJobFinished({ ...job, state: before }) && isJobFinished(job)) {
        notifications.show({
          color: job.state === 'succeeded' ? 'green' : job.state === 'failed' ? 'red' : 'gray',
          title: `${job.title}: ${job.state}`,
          message: job.state === 'failed' ? (job.error ?? 'The job failed.') : (job.message ?? 'Open the jobs list in the header for details.'),
        });
      }
      seenStates.current.set(job.id, job.state);
    }
  }, [jobs.data]);

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={340} shadow="md" withArrow>
      <Popover.Target>
        <Tooltip label={running.length > 0 ? `${running.length} job(s) running` : 'Background jobs'} disabled={opened}>
          <Indicator disabled={running.length === 0} label={running.length} size={16} color="blue" offset={4} processing>
            <ActionIcon variant="subtle" color="gray" size="lg" aria-label="Background jobs" onClick={() => setOpened((o) => !o)}>
              <IconStack2 size={20} stroke={1.6} />
            </ActionIcon>
          </Indicator>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown p="sm">
        <Text size="xs" fw={600} tt="uppercase" c="dimmed" mb={4}>
          My recent jobs
        </Text>
        {list.length === 0 ? (
          <EmptyState
            title="No background jobs"
            description="Imports, exports and billing runs you start appear here with their progress."
          />
        ) : (
          <ScrollArea.Autosize mah={360} scrollbars="y">
            {list.slice(0, 12).map((job) => (
              <JobLine key={job.id} job={job} />
            ))}
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
