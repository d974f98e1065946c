import { ActionIcon, Button, Checkbox, Group, Menu, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconBookmark, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { reportsViewsDelete, reportsViewsList, reportsViewsSave, type ReportView } from '../../src-shared/contracts/reports';
import { useRpcMutation, useRpcQuery } from '../api/hooks';
import { fieldErrors } from '../api/forms';
import { ErrorAlert } from '../components';
import { PRESET_LABELS, matchingPreset, presetRange } from './dates';
import { reportPath, type ReportParams } from './params';
import type { Calendar } from './useReporting';

/** Saved report settings: apply one (its relative range resolves against today), save the current one. */
export function SavedViews({ report, params, calendar }: { report: string; params: ReportParams; calendar: Calendar }) {
  const navigate = useNavigate();
  const views = useRpcQuery(reportsViewsList, { report });
  const remove = useRpcMutation(reportsViewsDelete, { invalidate: ['reports.views.'] });
  const [saving, setSaving] = useState(false);

  const apply = (view: ReportView) => {
    const range = 'preset' in view.params.range ? presetRange(view.params.range.preset, calendar.today, calendar.weekStart) : view.params.range;
    void navigate(reportPath(report, { ...view.params, ...range }));
  };

  return (
    <>
      <Menu position="bottom-end" width={300} withinPortal>
        <Menu.Target>
          <Button variant="default" leftSection={<IconBookmark size={16} />}>
            Views
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Saved views</Menu.Label>
          {(views.data ?? []).length === 0 ? (
            <Text size="xs" c="dimmed" px="sm" py={4}>
              None yet. Save these settings to come back to them in one click.
            </Text>
          ) : null}
          {(views.data ?? []).map((view) => (
            <Menu.Item
              key={view.id}
              onClick={() => apply(view)}
              rightSection={
                view.mine ? (
                  <ActionIcon
                    size="sm"
                    variant="subtle"
                    color="gray"
                    aria-label={`Delete view ${view.name}`}
                    onClick={(event) => {
                      event.stopPropagation();
                      remove.mutate({ input: { id: view.id, version: view.version } });
                    }}
                  >
                    <IconTrash size={14} />
                  </ActionIcon>
                ) : (
                  <Text size="xs" c="dimmed">
                    {view.ownerName}
                  </Text>
                )
              }
            >
              {view.name}
              {view.shared && view.mine ? ' · shared' : ''}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={() => setSaving(true)}>Save current settings…</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={saving} onClose={() => setSaving(false)} title="Save report view">
        {saving ? <SaveViewForm report={report} params={params} calendar={calendar} onDone={() => setSaving(false)} /> : null}
      </Modal>
    </>
  );
}

function SaveViewForm({ report, params, calendar, onDone }: { report: string; params: ReportParams; calendar: Calendar; onDone(): void }) {
  const preset = matchingPreset(params, calendar.today, calendar.weekStart);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [relative, setRelative] = useState(preset !== null);
  const save = useRpcMutation(reportsViewsSave, { invalidate: ['reports.views.'], notifyErrors: false });
  const nameError = fieldErrors(save.error).name;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(
          {
            input: {
              report,
              name,
              shared,
              params: {
                period: params.period,
                groupBy: params.groupBy,
                filters: params.filters,
                ...(params.measure ? { measure: params.measure } : {}),
                range: relative && preset ? { preset } : { from: params.from, to: params.to },
              },
            },
          },
          { onSuccess: onDone },
        );
      }}
    >
      <Stack>
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} data-autofocus required />
        {preset ? (
          <Checkbox
            label={`Keep the range relative (“${PRESET_LABELS[preset]}”) instead of ${params.from} to ${params.to}`}
            checked={relative}
            onChange={(e) => setRelative(e.currentTarget.checked)}
          />
        ) : null}
        <Checkbox label="Share with everyone who may see this report" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
        <ErrorAlert error={nameError ? null : save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save view
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
