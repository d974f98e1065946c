import { IconChartBar, IconLayoutBoard, IconList } from '@tabler/icons-react';
import { DISPATCH_PATH } from '../../field/labels';
import { FunctionTabs, type Screen } from '../../field/ui';

const fn = 'homeServices.dispatch' as const;
const SCREENS: Screen[] = [
  { path: DISPATCH_PATH, label: 'Board', icon: <IconLayoutBoard size={16} />, fn, verb: 'view' },
  { path: `${DISPATCH_PATH}/jobs`, label: 'Jobs', icon: <IconList size={16} />, fn, verb: 'view' },
  { path: `${DISPATCH_PATH}/report`, label: 'Report', icon: <IconChartBar size={16} />, fn, verb: 'view' },
];

export function DispatchTabs() {
  return <FunctionTabs screens={SCREENS} />;
}
