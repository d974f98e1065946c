import '@mantine/charts/styles.css';
import { IconTruckDelivery } from '@tabler/icons-react';
import type { FunctionEntry } from '../../registry';
import { DISPATCH_PATH } from '../field/labels';
import { BoardPage } from './pages/BoardPage';
import { JobDetailPage } from './pages/JobDetailPage';
import { JobsPage } from './pages/JobsPage';
import { ReportPage } from './pages/ReportPage';

/** Mobile technician dispatch: the day's board, the jobs list, a job's detail, the report. */
export const dispatchEntry: FunctionEntry = {
  module: 'homeServices',
  key: 'homeServices.dispatch',
  label: 'Dispatch',
  path: DISPATCH_PATH,
  icon: <IconTruckDelivery size={18} stroke={1.6} />,
  permission: 'homeServices.dispatch:view',
  routes: [
    { path: DISPATCH_PATH, element: <BoardPage /> },
    { path: `${DISPATCH_PATH}/jobs`, element: <JobsPage /> },
    { path: `${DISPATCH_PATH}/report`, element: <ReportPage /> },
    { path: `${DISPATCH_PATH}/:id`, element: <JobDetailPage /> },
  ],
  quickActions: [
    { label: 'Dispatch board', path: DISPATCH_PATH, shortcut: 'g d' },
    { label: 'SLA breaches', path: `${DISPATCH_PATH}/jobs?sla=breached` },
    { label: 'Dispatch report', path: `${DISPATCH_PATH}/report` },
  ],
};
