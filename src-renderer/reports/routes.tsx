// Charts are this pack's own; the shell loads the core styles.
import '@mantine/charts/styles.css';
import type { RouteObject } from 'react-router';
import { AnalyticsPage } from '../analytics/AnalyticsPage';
import { ModuleDashboard } from '../dashboard/ModuleDashboard';
import { RecordsPage } from './RecordsPage';
import { ReportRunner } from './ReportRunner';
import { ReportsHome } from './ReportsHome';

/**
 * The reporting pack's screens. Each checks the user's rights per function itself (a report of a
 * function the role may not view answers "not available"), so they need no route guard.
 */
export const reportingRoutes: RouteObject[] = [
  { path: 'reports', element: <ReportsHome /> },
  { path: 'reports/:reportKey', element: <ReportRunner /> },
  { path: 'reports/:reportKey/records', element: <RecordsPage /> },
  { path: 'analytics', element: <AnalyticsPage /> },
];

export { ModuleDashboard };
