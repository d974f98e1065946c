import { Select } from '@mantine/core';
import { exportReport, report, type ReportRow } from '../../../../../src-shared/contracts/home-services/visits';
import { ReportScreen, TOTAL_KEY, countCell, type ReportInputBase } from '../../field/ReportScreen';
import { VISITS_PATH } from '../../field/labels';
import { useServices, useTechnicians } from '../../field/options';
import { addDays, hours } from '../../field/time';
import { VisitTabs } from '../components/VisitTabs';

type Input = ReportInputBase & { technicianId?: string; serviceId?: string };
const GROUPS = [
  { value: 'period', label: 'Period' },
  { value: 'technician', label: 'Technician' },
  { value: 'service', label: 'Service' },
];
const END = { day: 0, week: 6, month: 30 } as const;

function drilldown(row: ReportRow, input: Input): string {
  const q = new URLSearchParams({ from: input.from, to: input.to });
  if (input.technicianId) q.set('technicianId', input.technicianId);
  if (input.serviceId) q.set('serviceId', input.serviceId);
  if (row.key !== TOTAL_KEY) {
    if (input.groupBy === 'period') {
      q.set('from', row.key > input.from ? row.key : input.from);
      const end = input.period === 'month' ? `${row.key.slice(0, 8)}31` : addDays(row.key, END[input.period]);
      q.set('to', end < input.to ? end : input.to);
    } else if (input.groupBy === 'technician' && row.key) q.set('technicianId', row.key);
    else if (input.groupBy === 'service') q.set('serviceId', row.key);
  }
  return `${VISITS_PATH}?${q.toString()}`;
}

const rate = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)}%` : '—');

export function ReportPage() {
  const { options: technicians } = useTechnicians();
  const { options: services } = useServices();
  return (
    <ReportScreen<ReportRow & Record<string, unknown>, Input>
      fn="homeServices.visits"
      title="Visits report"
      subtitle="Visits verified against exceptions, missed visits, corrections and first-time-right, by the day of the visit."
      tabs={<VisitTabs />}
      contract={report}
      exportContract={exportReport}
      groups={GROUPS}
      series={[
        { name: 'verified', label: 'Verified', color: 'green.6' },
        { name: 'warnings', label: 'Warnings', color: 'yellow.6' },
        { name: 'exceptions', label: 'Exceptions', color: 'red.6' },
        { name: 'missed', label: 'Missed', color: 'dark.4' },
      ]}
      columns={() => [
        countCell('visits', 'Visits'),
        countCell('completed', 'Completed'),
        countCell('verified', 'Verified'),
        countCell('warnings', 'Warnings'),
        countCell('exceptions', 'Exceptions', (r) => (r.exceptions > 0 ? 'red' : undefined)),
        countCell('missed', 'Missed', (r) => (r.missed > 0 ? 'red' : undefined)),
        countCell('corrected', 'Corrected'),
        countCell('firstTimeRight', 'First time right'),
        { key: 'ftr', header: 'FTR rate', align: 'right', render: (r) => rate(r.firstTimeRight, r.completed) },
        { key: 'onSite', header: 'On site', align: 'right', render: (r) => hours(r.minutesOnSite) },
      ]}
      filters={(input, change) => (
        <>
          <Select label="Technician" placeholder="Anyone" data={technicians} value={input.technicianId ?? null} onChange={(v) => change({ technicianId: v })} clearable searchable w={190} />
          <Select label="Service" placeholder="Any" data={services} value={input.serviceId ?? null} onChange={(v) => change({ serviceId: v })} clearable searchable w={220} />
        </>
      )}
      drilldown={drilldown}
      exportDescription={{ xlsx: 'One workbook: the report as shown and every visit with its EVV elements.', csv: 'Every visit in the range with its EVV elements.' }}
    />
  );
}
