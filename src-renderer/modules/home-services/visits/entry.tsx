import '@mantine/charts/styles.css';
import { IconMapPinCheck } from '@tabler/icons-react';
import type { FunctionEntry } from '../../registry';
import { MY_DAY_PATH, VISITS_PATH } from '../field/labels';
import { MyDayPage } from './pages/MyDayPage';
import { ReportPage } from './pages/ReportPage';
import { VisitDetailPage } from './pages/VisitDetailPage';
import { VisitsPage } from './pages/VisitsPage';

/** Home visit tracking: the visits list with its exceptions, a technician's day with check-in/out, a visit's evidence, the report. */
export const visitsEntry: FunctionEntry = {
  module: 'homeServices',
  key: 'homeServices.visits',
  label: 'Home visits',
  path: VISITS_PATH,
  icon: <IconMapPinCheck size={18} stroke={1.6} />,
  permission: 'homeServices.visits:view',
  routes: [
    { path: VISITS_PATH, element: <VisitsPage /> },
    { path: MY_DAY_PATH, element: <MyDayPage /> },
    { path: `${VISITS_PATH}/report`, element: <ReportPage /> },
    { path: `${VISITS_PATH}/:id`, element: <VisitDetailPage /> },
  ],
  quickActions: [
    { label: 'My day (check in / out)', path: MY_DAY_PATH, shortcut: 'g v' },
    { label: 'Visit exceptions', path: `${VISITS_PATH}?verification=exception` },
    { label: 'Missed visits', path: `${VISITS_PATH}?status=missed` },
    { label: 'Visits report', path: `${VISITS_PATH}/report` },
  ],
};
