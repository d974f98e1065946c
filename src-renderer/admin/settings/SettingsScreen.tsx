import { Alert, Badge, Button, Code, Group, JsonInput, Modal, NumberInput, Paper, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAdjustmentsHorizontal } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { settingSchema, settingsList, settingsUpdate } from '../../../src-shared/contracts/kernel';
import { useRpcMutation, useRpcQuery, useSession } from '../../api/hooks';
import { useHqOwnership } from '../../api/ownership';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { humanizeKey } from '../../components/ValueView';
import { PageHeader } from '../../components/PageHeader';
import { BranchPanel } from './BranchPanel';
import { RoutinesPanel } from './RoutinesPanel';

type Setting = z.infer<typeof settingSchema>;
type Kind = 'boolean' | 'number' | 'string' | 'json';

const kindOf = (value: unknown): Kind =>
  typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? 'number' : typeof value === 'string' ? 'string' : 'json';

function preview(value: unknown) {
  const kind = kindOf(value);
  if (kind === 'boolean') {
    return (
      <Badge size="sm" variant="light" color={value ? 'green' : 'gray'}>
        {value ? 'On' : 'Off'}
      </Badge>
    );
  }
  if (kind === 'json') {
    return (
      <Code fz="xs" style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', display: 'block', maxWidth: 360 }}>
        {JSON.stringify(value)}
      </Code>
    );
  }
  return <Text size="sm" fw={500} style={{ fontVariantNumeric: 'tabular-nums' }}>{String(value)}</Text>;
}

const columns: DataColumn<Setting>[] = [
  {
    key: 'key',
    header: 'Setting',
    render: (s) => (
      <div>
        <Text size="sm" fw={500}>
          {s.description}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {s.key}
        </Text>
      </div>
    ),
  },
  { key: 'area', header: 'Area', width: 140, render: (s) => <Badge variant="default" size="sm">{humanizeKey(s.key.split('.')[0] ?? '')}</Badge> },
  { key: 'value', header: 'Value', width: 260, render: (s) => preview(s.value) },
];

/** The value column with a mark on the settings HQ has taken over. */
const withHqMark = (isOwned: (key: string) => boolean): DataColumn<Setting>[] =>
  columns.map((column) =>
    column.key === 'value'
      ? {
          ...column,
          render: (s: Setting) => (
            <Group gap={6} wrap="nowrap">
              {preview(s.value)}
              {isOwned(s.key) ? (
                <Badge size="xs" variant="light" color="blue">
                  From HQ
                </Badge>
              ) : null}
            </Group>
          ),
        }
      : column,
  );

function EditSetting({ setting, fromHq, onClose }: { setting: Setting; fromHq: boolean; onClose(): void }) {
  const kind = kindOf(setting.value);
  const [value, setValue] = useState<unknown>(setting.value);
  const [json, setJson] = useState(() => JSON.stringify(setting.value, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const update = useRpcMutation(settingsUpdate, { invalidate: ['admin.settings.', 'system.'], notifyErrors: false });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    let next = value;
    if (kind === 'json') {
      try {
        next = JSON.parse(json);
      } catch {
        setJsonError('This is not valid JSON: check brackets, quotes and commas.');
        return;
      }
    }
    update.mutate(
      { input: { key: setting.key, value: next, version: setting.version } },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `Saved: ${setting.description}` });
          onClose();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{setting.description}</Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {setting.key}
        </Text>
        {kind === 'boolean' ? (
          <Switch label={value ? 'On' : 'Off'} checked={Boolean(value)} onChange={(e) => setValue(e.currentTarget.checked)} data-autofocus />
        ) : kind === 'number' ? (
          <NumberInput label="Value" value={value as number} onChange={(v) => setValue(typeof v === 'number' ? v : Number(v))} data-autofocus />
        ) : kind === 'string' ? (
          <TextInput label="Value" value={String(value)} onChange={(e) => setValue(e.currentTarget.value)} data-autofocus />
        ) : (
          <JsonInput
            label="Value (JSON)"
            autosize
            minRows={4}
            maxRows={16}
            formatOnBlur
            value={json}
            onChange={(text) => {
              setJson(text);
              setJsonError(null);
            }}
            error={jsonError}
            data-autofocus
          />
        )}
        {fromHq ? (
          <Alert color="blue" title="Set by HQ">
            This setting is owned by HQ: change it at HQ, and the new value reaches this branch with the next sync.
          </Alert>
        ) : null}
        {update.error ? <ErrorAlert error={update.error} /> : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending} disabled={fromHq}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Branch settings: each one validated server-side by its own schema, every change audited. */
export function SettingsScreen() {
  const { can } = useSession();
  const settings = useRpcQuery(settingsList, {});
  const [editing, setEditing] = useState<Setting | null>(null);
  const editable = can('admin.settings', 'edit');
  const hq = useHqOwnership('setting');
  const rows = [...(settings.data ?? [])].sort((a, b) => a.key.localeCompare(b.key));

  return (
    <>
      <PageHeader
        title="Settings"
        subtitle={
          editable
            ? 'Thresholds, approval limits and rules of this branch. Open a row to change it; changes are audited.'
            : 'Thresholds, approval limits and rules of this branch. Your role can read them; an administrator changes them.'
        }
      />
      <BranchPanel />
      {settings.isError ? (
        <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Paper withBorder>
          <DataTable
            label="Settings"
            rows={rows}
            columns={withHqMark(hq.isOwned)}
            rowKey="key"
            loading={settings.isPending}
            onOpen={editable ? (setting) => setEditing(setting) : undefined}
            empty={
              <EmptyState
                icon={<IconAdjustmentsHorizontal size={24} stroke={1.5} />}
                title="No settings defined"
                description="Settings appear here as the modules that use them are installed."
              />
            }
          />
        </Paper>
      )}
      {can('jobs', 'view') ? <RoutinesPanel /> : null}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title="Change setting" size="md">
        {editing ? <EditSetting key={editing.key} setting={editing} fromHq={hq.isOwned(editing.key)} onClose={() => setEditing(null)} /> : null}
      </Modal>
    </>
  );
}
