// The shell loads core, dates, notifications and spotlight styles; charts are this function's own.
import '@mantine/charts/styles.css';
import { IconGauge } from '@tabler/icons-react';
import type { FunctionEntry } from '../../registry';
import { FUNCTION_PATH } from './labels';
import { DetailPage } from './pages/DetailPage';
import { ImportPage } from './pages/ImportPage';
import { ListPage } from './pages/ListPage';
import { MetersPage } from './pages/MetersPage';
import { ReportPage } from './pages/ReportPage';
import { ReviewQueuePage } from './pages/ReviewQueuePage';
import { RouteEntryPage } from './pages/RouteEntryPage';

/**
 * Meter reading logging, the reference function: list, review queue, detail, route entry, import
 * and report. Every other function's entry has this shape.
 */
export const meterReadingsEntry: FunctionEntry = {
  module: 'energy',
  key: 'energy.meterReadings',
  label: 'Meter reading logging',
  path: FUNCTION_PATH,
  icon: <IconGauge size={18} stroke={1.6} />,
  permission: 'energy.meterReadings:view',
  routes: [
    { path: FUNCTION_PATH, element: <ListPage /> },
    { path: `${FUNCTION_PATH}/entry`, element: <RouteEntryPage /> },
    { path: `${FUNCTION_PATH}/review`, element: <ReviewQueuePage /> },
    { path: `${FUNCTION_PATH}/import`, element: <ImportPage /> },
    { path: `${FUNCTION_PATH}/report`, element: <ReportPage /> },
    { path: `${FUNCTION_PATH}/meters`, element: <MetersPage /> },
    // Static segments rank above the parameter, so /entry never reads as a reading id.
    { path: `${FUNCTION_PATH}/:id`, element: <DetailPage /> },
  ],
  quickActions: [
    { label: 'Enter readings', path: `${FUNCTION_PATH}/entry`, shortcut: 'g m' },
    { label: 'Review exceptions', path: `${FUNCTION_PATH}/review`, shortcut: 'g x' },
    { label: 'Import readings', path: `${FUNCTION_PATH}/import` },
    { label: 'Readings report', path: `${FUNCTION_PATH}/report` },
    { label: 'Find an account or meter', path: `${FUNCTION_PATH}/meters` },
  ],
};
