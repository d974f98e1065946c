import { Select, Text } from '@mantine/core';
import { exportReport, report, type ReportRow } from '../../../../../src-shared/contracts/home-services/dispatch';
import { ReportScreen, TOTAL_KEY, countCell, type ReportInputBase } from '../../field/ReportScreen';
import { DISPATCH_PATH, priorityOptions } from '../../field/labels';
import { useTechnicians } from '../../field/options';
import { addDays, hours } from '../../field/time';
import { DispatchTabs } from '../components/DispatchTabs';

type Input = ReportInputBase & { technicianId?: string; priority?: string };

const GROUPS = [
  { value: 'period', label: 'Period' },
  { value: 'technician', label: 'Technician' },
  { value: 'priority', label: 'Priority' },
  { value: 'zone', label: 'Zone' },
];
const END = { day: 0, week: 6, month: 30 } as const;

function drilldown(row: ReportRow, input: Input): string {
  const q = new URLSearchParams({ from: input.from, to: input.to });
  if (input.technicianId) q.set('technicianId', input.technicianId);
  if (input.priority) q.set('priority', input.priority);
  if (row.key !== TOTAL_KEY) {
    if (input.groupBy === 'period') {
      q.set('from', row.key > input.from ? row.key : input.from);
      const end = input.period === 'month' ? `${row.key.slice(0, 8)}31` : addDays(row.key, END[input.period]);
      q.set('to', end < input.to ? end : input.to);
    } else if (input.groupBy === 'technician' && row.key) q.set('technicianId', row.key);
    else if (input.groupBy === 'priority') q.set('priority', row.key);
  }
  return `${DISPATCH_PATH}/jobs?${q.toString()}`;
}

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

export function ReportPage() {
  const { options: technicians } = useTechnicians();
  return (
    <ReportScreen<ReportRow & Record<string, unknown>, Input>
      fn="homeServices.dispatch"
      title="Dispatch report"
      subtitle="Jobs, SLA met and breached, reassignments, and utilisation: booked hours over available hours (working time after breaks and time off)."
      tabs={<DispatchTabs />}
      contract={report}
      exportContract={exportReport}
      groups={GROUPS}
      series={[
        { name: 'slaMet', label: 'SLA met', color: 'green.6' },
        { name: 'slaBreached', label: 'SLA breached', color: 'red.6' },
      ]}
      columns={() => [
        countCell('jobs', 'Jobs'),
        countCell('completed', 'Completed'),
        countCell('slaMet', 'SLA met'),
        countCell('slaBreached', 'SLA breached', (r) => (r.slaBreached > 0 ? 'red' : undefined)),
        countCell('reassignments', 'Reassigned'),
        { key: 'booked', header: 'Booked', align: 'right', render: (r) => hours(r.bookedMinutes) },
        { key: 'available', header: 'Available', align: 'right', render: (r) => (r.availableMinutes === null ? '—' : hours(r.availableMinutes)) },
        {
          key: 'utilisation',
          header: 'Utilisation',
          align: 'right',
          render: (r) => (
            <Text size="sm" fw={r.key === TOTAL_KEY ? 700 : undefined} c={r.utilisation !== null && r.utilisation > 1 ? 'red' : undefined}>
              {percent(r.utilisation)}
            </Text>
          ),
        },
      ]}
      filters={(input, change) => (
        <>
          <Select label="Technician" placeholder="Anyone" data={technicians} value={input.technicianId ?? null} onChange={(v) => change({ technicianId: v })} clearable searchable w={190} />
          <Select label="Priority" placeholder="Any" data={priorityOptions} value={input.priority ?? null} onChange={(v) => change({ priority: v })} clearable w={120} />
        </>
      )}
      drilldown={drilldown}
      exportDescription={{ xlsx: 'One workbook: the report as shown and every job in the range.', csv: 'Every job in the range, one row each.' }}
    />
  );
}
