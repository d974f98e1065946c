import '@mantine/charts/styles.css';
import { IconTool } from '@tabler/icons-react';
import type { FunctionEntry } from '../../registry';
import { ASSETS, BASE, PARTS, WORK_ORDERS } from './labels';
import { AssetDetailPage, AssetFormPage, AssetListPage } from './pages/AssetPages';
import { OverviewPage } from './pages/OverviewPage';
import { PartDetailPage, PartsListPage } from './pages/PartsPages';
import { ReportPage } from './pages/ReportPage';
import { SchedulesPage } from './pages/SchedulesPage';
import { WorkOrderDetailPage, WorkOrderFormPage, WorkOrderListPage } from './pages/WorkOrderPages';

/** Equipment maintenance: overview, work orders, assets, preventive schedules, parts and the report. */
export const maintenanceEntry: FunctionEntry = {
  module: 'energy',
  key: 'energy.maintenance',
  label: 'Equipment maintenance tracking',
  path: BASE,
  icon: <IconTool size={18} stroke={1.6} />,
  permission: 'energy.maintenance:view',
  routes: [
    { path: BASE, element: <OverviewPage /> },
    { path: WORK_ORDERS, element: <WorkOrderListPage /> },
    { path: `${WORK_ORDERS}/new`, element: <WorkOrderFormPage /> },
    { path: `${WORK_ORDERS}/:id`, element: <WorkOrderDetailPage /> },
    { path: ASSETS, element: <AssetListPage /> },
    { path: `${ASSETS}/new`, element: <AssetFormPage /> },
    { path: `${ASSETS}/:id`, element: <AssetDetailPage /> },
    { path: `${ASSETS}/:id/edit`, element: <AssetFormPage /> },
    { path: `${BASE}/schedules`, element: <SchedulesPage /> },
    { path: PARTS, element: <PartsListPage /> },
    { path: `${PARTS}/:id`, element: <PartDetailPage /> },
    { path: `${BASE}/report`, element: <ReportPage /> },
  ],
  quickActions: [
    { label: 'Work orders', path: WORK_ORDERS, shortcut: 'g w' },
    { label: 'New work order', path: `${WORK_ORDERS}/new` },
    { label: 'Generate preventive work', path: `${BASE}/schedules` },
    { label: 'Overdue preventive work', path: `${WORK_ORDERS}?overdue=true&type=preventive` },
    { label: 'Maintenance report', path: `${BASE}/report` },
  ],
};
