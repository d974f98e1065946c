import { Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import type { Job } from '../../../../src-shared/contracts/kernel';
import { downloadJobFile } from '../../../api/client';
import { notifyError, useRpcMutation } from '../../../api/hooks';
import { ErrorAlert, JobProgress } from '../../../components';

type ExportFormat = 'xlsx' | 'csv';

interface ExportDialogProps {
  opened: boolean;
  onClose(): void;
  title: string;
  /** The function's export mutation: the report input plus `format`, answering `{ jobId }`. */
  contract: ProcedureContract;
  scope: { from: string; to: string } & Record<string, unknown>;
  description: { xlsx: string; csv: string };
  initialFormat?: ExportFormat;
}

/** Starts the export job, shows its progress, and downloads the file when it is ready. */
export function ExportDialog({ opened, onClose, title, ...body }: ExportDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg">
      {opened ? <ExportBody {...body} onClose={onClose} /> : null}
    </Modal>
  );
}

function ExportBody({ contract, scope, description, initialFormat = 'xlsx', onClose }: Omit<ExportDialogProps, 'opened' | 'title'>) {
  const [format, setFormat] = useState<ExportFormat>(initialFormat);
  const [from, setFrom] = useState(scope.from);
  const [to, setTo] = useState(scope.to);
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useRpcMutation(contract, { invalidate: ['jobs.'], notifyErrors: false });
  const onDone = (job: Job) => {
    if (job.state === 'succeeded') downloadJobFile(job.id).catch(notifyError);
  };
  if (jobId) {
    return (
      <Stack>
        <JobProgress jobId={jobId} onDone={onDone} hideResult />
        <Text size="xs" c="dimmed">
          The file downloads by itself when it is ready. You can close this window; the export keeps running.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        start.mutate({ input: { ...scope, from, to, format } as never }, { onSuccess: (result) => setJobId((result as { jobId: string }).jobId) });
      }}
    >
      <Stack>
        <SegmentedControl
          aria-label="File format"
          value={format}
          onChange={(value) => setFormat(value as ExportFormat)}
          data={[
            { value: 'xlsx', label: 'Excel (.xlsx)' },
            { value: 'csv', label: 'CSV' },
          ]}
        />
        <Group grow>
          <TextInput type="date" label="From" value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value)} required />
          <TextInput type="date" label="To" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} required />
        </Group>
        <Text size="sm" c="dimmed">
          {description[format]}
        </Text>
        <ErrorAlert error={start.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={start.isPending} data-autofocus>
            Start export
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
