import '@mantine/charts/styles.css';
import { IconPlugConnected } from '@tabler/icons-react';
import type { FunctionEntry } from '../../registry';
import { FUNCTION_PATH } from './labels';
import { BoardPage } from './pages/BoardPage';
import { DetailPage } from './pages/DetailPage';
import { FormPage } from './pages/FormPage';
import { ListPage } from './pages/ListPage';
import { ReportPage } from './pages/ReportPage';

/** Service installation tracking: work queues by stage, the order list, detail, request form and report. */
export const installationsEntry: FunctionEntry = {
  module: 'energy',
  key: 'energy.installations',
  label: 'Service installation tracking',
  path: FUNCTION_PATH,
  icon: <IconPlugConnected size={18} stroke={1.6} />,
  permission: 'energy.installations:view',
  routes: [
    { path: FUNCTION_PATH, element: <BoardPage /> },
    { path: `${FUNCTION_PATH}/orders`, element: <ListPage /> },
    { path: `${FUNCTION_PATH}/new`, element: <FormPage /> },
    { path: `${FUNCTION_PATH}/report`, element: <ReportPage /> },
    // Static segments rank above the parameter, so /orders never reads as an order id.
    { path: `${FUNCTION_PATH}/:id`, element: <DetailPage /> },
    { path: `${FUNCTION_PATH}/:id/edit`, element: <FormPage /> },
  ],
  quickActions: [
    { label: 'New service request', path: `${FUNCTION_PATH}/new`, shortcut: 'g i' },
    { label: 'Installation work queues', path: FUNCTION_PATH },
    { label: 'Service orders past their deadline', path: `${FUNCTION_PATH}/orders?sla=breached` },
    { label: 'Installations report', path: `${FUNCTION_PATH}/report` },
  ],
};
