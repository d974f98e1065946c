import { Button, Group, Menu, Modal, Paper, Stack, Text } from '@mantine/core';
import { IconBolt, IconChecklist, IconFileSpreadsheet, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Dashboard } from '../../src-shared/contracts/dashboard';
import type { ReportInfo } from '../../src-shared/contracts/reports';
import { useSession } from '../api/hooks';
import { canOpenEntry } from '../app/navigation';
import { KeyboardHint } from '../components';
import { functionEntries, type ModuleKey } from '../modules/registry';
import { ExportReportDialog } from '../reports/ExportReportDialog';

const WRAP = { label: { whiteSpace: 'normal', textAlign: 'left', lineHeight: 1.3 } } as const;

/**
 * The module's shortcuts: each function's own quick actions (create a record, enter readings…),
 * continue the oldest unfinished work, decide the oldest approval, and export an operational
 * report for the dashboard's period.
 */
export function QuickActions({ module, dashboard, reports, openExport = false }: { module: ModuleKey; dashboard: Dashboard; reports: ReportInfo[]; openExport?: boolean }) {
  const session = useSession();
  const [exporting, setExporting] = useState<ReportInfo | null>(null);
  // From the command palette (?export=1): the choice of report comes up at once, wherever the
  // quick actions sit on the page.
  const [choosing, setChoosing] = useState(openExport);
  const entries = functionEntries.filter((e) => e.module === module && canOpenEntry(session, e));
  const actions = entries.flatMap((e) => (e.quickActions ?? []).map((a) => ({ ...a, fn: e.label })));
  const resume = dashboard.queue.workflows[0];
  const decide = dashboard.queue.approvals[0];
  const exportable = reports.filter((r) => r.module === module && r.canExport);

  return (
    <Paper withBorder p="md">
      <Group gap={6} mb="xs">
        <IconBolt size={18} stroke={1.6} />
        <Text fw={600} size="sm">
          Quick actions
        </Text>
      </Group>
      <Stack gap={6}>
        {resume ? (
          <Button component={Link} to={resume.link} variant="light" justify="flex-start" leftSection={<IconPlayerPlay size={14} />} title={resume.title}>
            {resume.actionLabel}
          </Button>
        ) : null}
        {decide ? (
          <Button component={Link} to={decide.link} variant="light" color="yellow" justify="flex-start" leftSection={<IconChecklist size={14} />}>
            Decide ({dashboard.queue.approvals.length} waiting)
          </Button>
        ) : null}
        {actions.map((a) => (
          <Group key={a.path} justify="space-between" wrap="nowrap">
            {/* Labels wrap: cut to "Book an appointmen…" they no longer said what they do. */}
            <Button component={Link} to={a.path} variant="subtle" size="compact-sm" px={4} h="auto" py={2} miw={0} styles={WRAP}>
              {a.label}
            </Button>
            {a.shortcut ? <KeyboardHint keys={a.shortcut} /> : null}
          </Group>
        ))}
        {exportable.length > 0 ? (
          <Menu position="bottom-start">
            <Menu.Target>
              <Button variant="default" leftSection={<IconFileSpreadsheet size={14} />} mt={4}>
                Export operational report
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>
                {dashboard.range.from} to {dashboard.range.to}
              </Menu.Label>
              {exportable.map((r) => (
                <Menu.Item key={r.key} onClick={() => setExporting(r)}>
                  {r.label}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        ) : null}
        {actions.length === 0 && !resume && !decide && exportable.length === 0 ? (
          <Text size="sm" c="dimmed">
            Your role has no actions in this module yet.
          </Text>
        ) : null}
      </Stack>
      <Modal opened={choosing && exportable.length > 0} onClose={() => setChoosing(false)} title="Export an operational report">
        <Text size="sm" c="dimmed" mb="sm">
          {dashboard.range.from} to {dashboard.range.to}, by day. Pick the report:
        </Text>
        <Stack gap={6}>
          {exportable.map((r, i) => (
            <Button
              key={r.key}
              variant="light"
              justify="space-between"
              data-autofocus={i === 0 ? true : undefined}
              rightSection={<Text size="xs" c="dimmed">{r.functionLabel}</Text>}
              onClick={() => {
                setChoosing(false);
                setExporting(r);
              }}
            >
              {r.label}
            </Button>
          ))}
        </Stack>
      </Modal>
      {exporting ? (
        <ExportReportDialog
          opened
          onClose={() => setExporting(null)}
          scope={{
            report: exporting.key,
            reportLabel: exporting.label,
            recordLabel: exporting.recordLabel,
            from: dashboard.range.from,
            to: dashboard.range.to,
            period: 'day',
            groupBy: 'period',
            filters: {},
            filterLabels: [],
          }}
        />
      ) : null}
    </Paper>
  );
}
