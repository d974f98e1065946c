import { IconCash } from '@tabler/icons-react';
import { collectionsExport, collectionsReport, COLLECTION_GROUPS } from '../../../../src-shared/contracts/energy/counter';
import type { FunctionEntry } from '../../registry';
import { CounterPage } from './CounterPage';
import { ReportScreen } from './ReportScreen';
import { ShiftDetailPage, ShiftsListPage } from './ShiftPages';
import { PaymentsPage } from './PaymentsPage';

const PATH = '/energy/counter';

function CollectionsReportPage() {
  return (
    <ReportScreen
      title="Collections report"
      report={collectionsReport}
      exportContract={collectionsExport}
      groups={COLLECTION_GROUPS}
      columns={[
        { key: 'transactions', header: 'Transactions' },
        { key: 'payments', header: 'Payments' },
        { key: 'vends', header: 'Vends' },
        { key: 'reversals', header: 'Reversals' },
        { key: 'taken', header: 'Taken', money: true },
        { key: 'refunded', header: 'Refunded', money: true },
        { key: 'net', header: 'Net', money: true },
      ]}
    />
  );
}

export const counterEntry: FunctionEntry = {
  module: 'energy',
  key: 'energy.counter',
  label: 'Cashier counter',
  path: PATH,
  icon: <IconCash size={18} stroke={1.6} />,
  permission: 'energy.counter:view',
  routes: [
    { path: PATH, element: <CounterPage /> },
    { path: `${PATH}/shifts`, element: <ShiftsListPage /> },
    { path: `${PATH}/shifts/:id`, element: <ShiftDetailPage /> },
    { path: `${PATH}/payments`, element: <PaymentsPage /> },
    { path: `${PATH}/report`, element: <CollectionsReportPage /> },
  ],
  quickActions: [
    { label: 'Open the counter', path: PATH, shortcut: 'g c' },
    { label: 'Cashier shifts', path: `${PATH}/shifts` },
    { label: 'Payments', path: `${PATH}/payments` },
    { label: 'Collections report', path: `${PATH}/report` },
  ],
};
