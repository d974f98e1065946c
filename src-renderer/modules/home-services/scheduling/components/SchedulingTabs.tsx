import { IconBell, IconCalendarPlus, IconCalendarWeek, IconChartBar, IconList, IconSettings } from '@tabler/icons-react';
import { FunctionTabs, type Screen } from '../../field/ui';
import { SCHEDULING_PATH } from '../../field/labels';

const fn = 'homeServices.scheduling' as const;
const SCREENS: Screen[] = [
  { path: SCHEDULING_PATH, label: 'Appointments', icon: <IconList size={16} />, fn, verb: 'view' },
  { path: `${SCHEDULING_PATH}/book`, label: 'Book', icon: <IconCalendarPlus size={16} />, fn, verb: 'create' },
  { path: `${SCHEDULING_PATH}/calendar`, label: 'Calendar', icon: <IconCalendarWeek size={16} />, fn, verb: 'view' },
  { path: `${SCHEDULING_PATH}/reminders`, label: 'Reminders', icon: <IconBell size={16} />, fn, verb: 'view' },
  { path: `${SCHEDULING_PATH}/report`, label: 'Report', icon: <IconChartBar size={16} />, fn, verb: 'view' },
  { path: `${SCHEDULING_PATH}/setup`, label: 'Technicians & catalogue', icon: <IconSettings size={16} />, fn, verb: 'view' },
];

/** Scheduling's screens in the order of a clerk's day: the list, a booking, the calendar, reminders, the report, set-up. */
export function SchedulingTabs() {
  return <FunctionTabs screens={SCREENS} />;
}
