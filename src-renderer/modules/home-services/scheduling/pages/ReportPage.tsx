import { Select } from '@mantine/core';
import { exportReport, report, type ReportRow } from '../../../../../src-shared/contracts/home-services/scheduling';
import { formatMoney } from '../../../../components';
import { ReportScreen, TOTAL_KEY, countCell, type ReportInputBase } from '../../field/ReportScreen';
import { SCHEDULING_PATH, channelOptions } from '../../field/labels';
import { useServices, useTechnicians } from '../../field/options';
import { addDays, hours } from '../../field/time';
import { SchedulingTabs } from '../components/SchedulingTabs';

type Input = ReportInputBase & { serviceId?: string; technicianId?: string; channel?: string; category?: string };

const GROUPS = [
  { value: 'period', label: 'Period' },
  { value: 'service', label: 'Service / SKU' },
  { value: 'category', label: 'Category' },
  { value: 'channel', label: 'Channel' },
  { value: 'technician', label: 'Technician' },
];

const END = { day: 0, week: 6, month: 30 } as const;

/** The appointments behind a report row: the report's filters plus the row's period or dimension. */
function drilldown(row: ReportRow, input: Input): string {
  const q = new URLSearchParams({ from: input.from, to: input.to });
  if (input.serviceId) q.set('serviceId', input.serviceId);
  if (input.technicianId) q.set('technicianId', input.technicianId);
  if (input.channel) q.set('channel', input.channel);
  if (row.key !== TOTAL_KEY) {
    if (input.groupBy === 'period') {
      q.set('from', row.key > input.from ? row.key : input.from);
      const end = input.period === 'month' ? `${row.key.slice(0, 8)}31` : addDays(row.key, END[input.period]);
      q.set('to', end < input.to ? end : input.to);
    } else if (input.groupBy === 'service') q.set('serviceId', row.key);
    else if (input.groupBy === 'channel') q.set('channel', row.key);
    else if (input.groupBy === 'category') q.set('category', row.key);
    else if (input.groupBy === 'technician' && row.key) q.set('technicianId', row.key);
  }
  return `${SCHEDULING_PATH}?${q.toString()}`;
}

export function ReportPage() {
  const { options: technicians } = useTechnicians();
  const { options: services } = useServices();
  return (
    <ReportScreen<ReportRow & Record<string, unknown>, Input>
      fn="homeServices.scheduling"
      title="Bookings report"
      subtitle="Bookings by the day the work is due, with cancellations (late ones apart) and no-shows. Days, weeks and months follow the branch’s calendar."
      tabs={<SchedulingTabs />}
      contract={report}
      exportContract={exportReport}
      groups={GROUPS}
      series={[
        { name: 'completed', label: 'Completed', color: 'green.6' },
        { name: 'open', label: 'Open', color: 'blue.5' },
        { name: 'cancelled', label: 'Cancelled', color: 'gray.5' },
        { name: 'noShows', label: 'No-shows', color: 'red.6' },
      ]}
      columns={() => [
        countCell('bookings', 'Bookings'),
        { key: 'bookedMinutes', header: 'Booked hours', align: 'right', render: (r) => hours(r.bookedMinutes) },
        countCell('completed', 'Completed'),
        countCell('open', 'Open'),
        countCell('cancelled', 'Cancelled'),
        countCell('lateCancellations', 'Late', (r) => (r.lateCancellations > 0 ? 'red' : undefined)),
        countCell('noShows', 'No-shows', (r) => (r.noShows > 0 ? 'red' : undefined)),
        { key: 'completedValueMinor', header: 'Completed value', align: 'right', render: (r) => formatMoney(r.completedValueMinor) },
      ]}
      filters={(input, change) => (
        <>
          <Select label="Service" placeholder="All services" data={services} value={input.serviceId ?? null} onChange={(v) => change({ serviceId: v })} clearable searchable w={220} />
          <Select label="Technician" placeholder="Anyone" data={technicians} value={input.technicianId ?? null} onChange={(v) => change({ technicianId: v })} clearable searchable w={190} />
          <Select label="Channel" placeholder="Any" data={channelOptions} value={input.channel ?? null} onChange={(v) => change({ channel: v })} clearable w={140} />
        </>
      )}
      drilldown={drilldown}
      exportDescription={{
        xlsx: 'One workbook: the report as shown (summary sheet) and every appointment in the range (detail sheet).',
        csv: 'Every appointment in the range, one row each.',
      }}
    />
  );
}
