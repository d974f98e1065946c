import { IconChartBar, IconList, IconMapPinCheck } from '@tabler/icons-react';
import { MY_DAY_PATH, VISITS_PATH } from '../../field/labels';
import { FunctionTabs, type Screen } from '../../field/ui';

const fn = 'homeServices.visits' as const;
const SCREENS: Screen[] = [
  { path: VISITS_PATH, label: 'Visits', icon: <IconList size={16} />, fn, verb: 'view' },
  { path: MY_DAY_PATH, label: 'My day', icon: <IconMapPinCheck size={16} />, fn, verb: 'view' },
  { path: `${VISITS_PATH}/report`, label: 'Report', icon: <IconChartBar size={16} />, fn, verb: 'view' },
];

export function VisitTabs() {
  return <FunctionTabs screens={SCREENS} />;
}
