import { Button, Group, List, Modal, SegmentedControl, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Job } from '../../src-shared/contracts/kernel';
import { reportsExport, type ReportFilters, type ReportPeriod } from '../../src-shared/contracts/reports';
import { downloadJobFile } from '../api/client';
import { notifyError, useRpcMutation } from '../api/hooks';
import { ErrorAlert, JobProgress } from '../components';

export interface ExportScope {
  report: string;
  reportLabel: string;
  recordLabel: string;
  from: string;
  to: string;
  period: ReportPeriod;
  groupBy: string;
  filters: ReportFilters;
  /** Filters as people read them, repeated in the dialog so nobody exports the wrong thing. */
  filterLabels: { label: string; value: string }[];
}

type Format = 'xlsx' | 'csv';

interface Props {
  opened: boolean;
  onClose(): void;
  scope: ExportScope;
  initialFormat?: Format;
}

/**
 * Export a report through the `reports.export` job: the workbook (summary and records sheets) or
 * a CSV, with live progress; the file downloads by itself when it is ready.
 */
export function ExportReportDialog({ opened, onClose, scope, initialFormat = 'xlsx' }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Export ${scope.reportLabel.toLowerCase()}`} size="lg">
      {opened ? <ExportBody scope={scope} initialFormat={initialFormat} onClose={onClose} /> : null}
    </Modal>
  );
}

function ExportBody({ scope, initialFormat, onClose }: { scope: ExportScope; initialFormat: Format; onClose(): void }) {
  const [format, setFormat] = useState<Format>(initialFormat);
  const [csvContent, setCsvContent] = useState<'records' | 'summary'>('records');
  const [jobId, setJobId] = useState<string | null>(null);
  const [finished, setFinished] = useState<Job['state'] | null>(null);
  const start = useRpcMutation(reportsExport, { invalidate: ['jobs.'], notifyErrors: false });

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
            ? 'The file downloads by itself when it is ready. You can close this window; the export keeps running.'
            : finished === 'succeeded'
              ? 'Downloaded. Use Download for another copy.'
              : 'Nothing was exported. Try again, or narrow the range.'}
        </Text>
        <Group justify="flex-end">
          <Button variant={finished === 'succeeded' ? 'filled' : 'default'} onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    );
  }

  const { report, from, to, period, groupBy, filters } = scope;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        start.mutate({ input: { report, from, to, period, groupBy, filters, format, csvContent } }, { onSuccess: (r) => setJobId(r.jobId) });
      }}
    >
      <Stack>
        <SegmentedControl
          aria-label="File format"
          value={format}
          onChange={(value) => setFormat(value as Format)}
          data={[
            { value: 'xlsx', label: 'Excel (.xlsx)' },
            { value: 'csv', label: 'CSV' },
          ]}
        />
        {format === 'csv' ? (
          <SegmentedControl
            aria-label="CSV content"
            value={csvContent}
            onChange={(value) => setCsvContent(value as 'records' | 'summary')}
            data={[
              { value: 'records', label: `Every ${scope.recordLabel}` },
              { value: 'summary', label: 'The summary rows' },
            ]}
          />
        ) : null}
        <Text size="sm">
          {format === 'xlsx'
            ? `One workbook: the report as shown (with totals) on a summary sheet and every ${scope.recordLabel} behind it on a second sheet.`
            : csvContent === 'records'
              ? `Every ${scope.recordLabel} behind the report, one per line.`
              : 'The report rows and their total, one per line.'}
        </Text>
        <List size="sm" spacing={2} c="dimmed">
          <List.Item>
            {from} to {to}
          </List.Item>
          {scope.filterLabels.map((f) => (
            <List.Item key={f.label}>
              {f.label}: {f.value}
            </List.Item>
          ))}
        </List>
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
