import { Alert, Anchor, Button, FileInput, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { importResultSchema, readingsImport, type ImportResult } from '../../../../../src-shared/contracts/energy/meter-readings';
import type { Job } from '../../../../../src-shared/contracts/kernel';
import { useRpcMutation, useSession } from '../../../../api/hooks';
import { DataTable, EmptyState, ErrorAlert, JobProgress, PageHeader, pluralize } from '../../../../components';
import { FunctionTabs } from '../components/FunctionTabs';
import { readingsListPath } from '../filters';
import { FUNCTION_PATH } from '../labels';

const COLUMNS: { name: string; required: string; meaning: string; example: string }[] = [
  { name: 'meter_serial', required: 'Yes', meaning: 'Serial number printed on the meter', example: 'MTR-004211' },
  { name: 'read_date', required: 'Yes', meaning: 'Date the meter was read, YYYY-MM-DD', example: '2025-03-14' },
  { name: 'value', required: 'Unless skipped', meaning: 'Register value on the dials, whole number', example: '48213' },
  { name: 'read_type', required: 'No', meaning: 'actual (default), customer or estimated', example: 'actual' },
  { name: 'skip_code', required: 'When no value', meaning: 'Why no read was possible; the reading is estimated', example: 'dog' },
  { name: 'remark', required: 'No', meaning: 'Free text for the office', example: 'Gate code 1234' },
];

const TEMPLATE = `${COLUMNS.map((c) => c.name).join(',')}\n${COLUMNS.map((c) => c.example).join(',')}\n`;

function downloadTemplate() {
  const url = URL.createObjectURL(new Blob([TEMPLATE], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'meter-readings-template.csv';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The file's bytes as base64, the form `energy.meterReadings.import` takes them in. */
function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    // A data URL is "data:<type>;base64,<bytes>"; the browser does the encoding natively and fast.
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(',') + 1));
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

/**
 * Import a handheld's export as a background job: good rows are saved (with their VEE exceptions),
 * each bad row is reported with its reason, and importing the same file again saves nothing twice.
 */
export function ImportPage() {
  const { can } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [finished, setFinished] = useState<Job | null>(null);
  const start = useRpcMutation(readingsImport, { invalidate: ['jobs.'], notifyErrors: false });

  const begin = async () => {
    if (!file) return;
    setReadError(null);
    let contentBase64: string;
    try {
      contentBase64 = await readAsBase64(file);
    } catch (error) {
      setReadError(error instanceof Error ? error.message : String(error));
      return;
    }
    start.mutate({ input: { fileName: file.name, contentBase64 } }, { onSuccess: ({ jobId: started }) => setJobId(started) });
  };

  const reset = () => {
    setFile(null);
    setJobId(null);
    setFinished(null);
    start.reset();
  };

  const parsedResult = finished?.state === 'succeeded' ? importResultSchema.safeParse(finished.result) : null;

  return (
    <Stack gap={0}>
      <PageHeader
        title="Import readings"
        subtitle="Load a route's readings from a handheld export (CSV or Excel). Re-importing the same file is harmless: duplicates are skipped."
      />
      <FunctionTabs />
      {!can('energy.meterReadings', 'create') ? (
        <Alert color="gray" title="Not available for your role">
          Importing readings needs the “create” permission on meter reading logging.
        </Alert>
      ) : jobId === null ? (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <Paper withBorder p="md">
            <form
              onSubmit={(event) => {
                event.preventDefault();
                void begin();
              }}
            >
              <Stack>
                <FileInput
                  label="Readings file"
                  description="A .csv or .xlsx file with the columns on the right"
                  placeholder="Choose a file"
                  accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  leftSection={<IconFileSpreadsheet size={18} />}
                  value={file}
                  onChange={(chosen) => {
                    setFile(chosen);
                    start.reset();
                  }}
                  clearable
                  error={start.error?.details?.issues?.find((issue) => issue.path === 'fileName')?.message}
                />
                {readError ? <Alert color="red">{readError}</Alert> : null}
                <ErrorAlert error={start.error} />
                <Group justify="flex-end">
                  <Button type="submit" leftSection={<IconUpload size={16} />} disabled={!file} loading={start.isPending}>
                    Start import
                  </Button>
                </Group>
              </Stack>
            </form>
          </Paper>
          <Paper withBorder p="md">
            <Group justify="space-between" mb="xs">
              <Title order={4} fz="md">
                Expected columns
              </Title>
              <Button variant="subtle" size="xs" leftSection={<IconDownload size={14} />} onClick={downloadTemplate}>
                Download a template
              </Button>
            </Group>
            <Text size="sm" c="dimmed" mb="xs">
              The first row holds the column names; their order does not matter. One reading per row.
            </Text>
            <Table fz="sm" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Column</Table.Th>
                  <Table.Th>Required</Table.Th>
                  <Table.Th>Meaning</Table.Th>
                  <Table.Th>Example</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {COLUMNS.map((column) => (
                  <Table.Tr key={column.name}>
                    <Table.Td ff="monospace">{column.name}</Table.Td>
                    <Table.Td>{column.required}</Table.Td>
                    <Table.Td>{column.meaning}</Table.Td>
                    <Table.Td ff="monospace" c="dimmed">
                      {column.example}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </SimpleGrid>
      ) : (
        <Stack>
          <JobProgress jobId={jobId} onDone={setFinished} hideResult />
          {parsedResult?.success ? <ImportOutcome result={parsedResult.data} /> : null}
          {parsedResult && !parsedResult.success ? (
            <Alert color="orange" title="The import finished, but its summary could not be read">
              Check the readings list for what was saved.
            </Alert>
          ) : null}
          {finished ? (
            <Group>
              <Button variant="default" onClick={reset}>
                Import another file
              </Button>
              <Button variant="subtle" component={Link} to={readingsListPath({})}>
                Go to the readings list
              </Button>
            </Group>
          ) : null}
        </Stack>
      )}
    </Stack>
  );
}

function ImportOutcome({ result }: { result: ImportResult }) {
  const { can } = useSession();
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Stat label="Saved" value={result.saved} color="green" hint={`of ${pluralize(result.total, 'row')}`} />
        <Stat
          label="Saved with exceptions"
          value={result.exceptions}
          color="orange"
          hint={
            result.exceptions > 0 && can('energy.meterReadings', 'edit') ? (
              <Anchor component={Link} to={`${FUNCTION_PATH}/review`} size="xs">
                Review them
              </Anchor>
            ) : (
              'wait for review'
            )
          }
        />
        <Stat label="Already imported" value={result.duplicates} hint="skipped, nothing saved twice" />
        <Stat label="Failed" value={result.failed.length} color="red" hint="listed below" />
      </SimpleGrid>
      <Paper withBorder p="md">
        <Title order={4} fz="md" mb="xs">
          Rows that were not imported
        </Title>
        <DataTable
          label="Rows that failed"
          rows={result.failed}
          rowKey={(failure) => `${failure.row}:${failure.reason}`}
          columns={[
            { key: 'row', header: 'Row', width: 80, align: 'right' },
            { key: 'reason', header: 'Reason' },
          ]}
          empty={<EmptyState title="Every row was imported" description="Nothing to fix in this file." />}
          totalLabel={result.failed.length > 0 ? 'Row numbers are the ones your spreadsheet shows.' : null}
          maxHeight={420}
        />
      </Paper>
    </Stack>
  );
}

function Stat({ label, value, color, hint }: { label: string; value: number; color?: string; hint?: React.ReactNode }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} c={value > 0 ? color : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value.toLocaleString()}
      </Text>
      <Text size="xs" c="dimmed" component="div">
        {hint}
      </Text>
    </Paper>
  );
}
