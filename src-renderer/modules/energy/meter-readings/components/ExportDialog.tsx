import { Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { z } from 'zod';
import { readingsExport, type reportInput } from '../../../../../src-shared/contracts/energy/meter-readings';
import type { Job } from '../../../../../src-shared/contracts/kernel';
import { downloadJobFile } from '../../../../api/client';
import { notifyError, useRpcMutation } from '../../../../api/hooks';
import { ErrorAlert, JobProgress } from '../../../../components';

export type ExportScope = z.input<typeof reportInput>;
type ExportFormat = 'xlsx' | 'csv';

interface ExportDialogProps {
  opened: boolean;
  onClose(): void;
  scope: ExportScope;
  /** What the export leaves out of the screen's filters, said before it runs rather than discovered after. */
  note?: string;
  initialFormat?: ExportFormat;
}

/**
 * Export through the `energy.meterReadings.export` job: pick the format and dates, watch the job,
 * and the file downloads itself when it is ready (the job's Download button stays for a second copy).
 */
export function ExportDialog({ opened, onClose, scope, note, initialFormat = 'xlsx' }: ExportDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Export readings" size="xl">
      {opened ? <ExportBody scope={scope} note={note} initialFormat={initialFormat} onClose={onClose} /> : null}
    </Modal>
  );
}

function ExportBody({ scope, note, initialFormat, onClose }: Omit<ExportDialogProps, 'opened'> & { initialFormat: ExportFormat }) {
  const [format, setFormat] = useState<ExportFormat>(initialFormat);
  const [from, setFrom] = useState(scope.from);
  const [to, setTo] = useState(scope.to);
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useRpcMutation(readingsExport, { invalidate: ['jobs.'], notifyErrors: false });

  const [finished, setFinished] = useState<Job['state'] | null>(null);

  const onDone = (job: Job) => {
    setFinished(job.state);
    if (job.state === 'succeeded') downloadJobFile(job.id).catch(notifyError);
  };

  if (jobId) {
    return (
      <Stack>
        <JobProgress jobId={jobId} onDone={onDone} hideResult />
        <Text size="xs" c="dimmed">
          {finished === null
            ? 'The file downloads by itself when the export is ready. You can close this window; the export keeps running.'
            : finished === 'succeeded'
              ? 'Downloaded. Use Download for another copy.'
              : 'Nothing was exported. Check the dates and try again.'}
        </Text>
        <Group justify="flex-end">
          {finished === 'failed' || finished === 'cancelled' ? (
            <Button
              variant="default"
              onClick={() => {
                setJobId(null);
                setFinished(null);
              }}
            >
              Try again
            </Button>
          ) : null}
          <Button variant={finished === 'succeeded' ? 'filled' : 'default'} onClick={onClose}>
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
        start.mutate({ input: { ...scope, from, to, format } }, { onSuccess: ({ jobId: started }) => setJobId(started) });
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
          <TextInput type="date" label="From" value={from} max={to} onChange={(event) => setFrom(event.currentTarget.value)} required />
          <TextInput type="date" label="To" value={to} min={from} onChange={(event) => setTo(event.currentTarget.value)} required />
        </Group>
        <Text size="sm" c="dimmed">
          {format === 'xlsx'
            ? 'One workbook: a summary sheet with the report figures and a detail sheet with every reading.'
            : 'The same export as a CSV file, for spreadsheets and other tools.'}
          {note ? ` ${note}` : ''}
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
