import { IconFileInvoice } from '@tabler/icons-react';
import { BILLING_GROUPS, billingExport, billingReport } from '../../../../src-shared/contracts/energy/billing';
import type { FunctionEntry } from '../../registry';
import { ReportScreen } from '../counter/ReportScreen';
import { BILLING_PATH, BillDetailPage, BillsPage, RunDetailPage, RunsPage, TariffsPage } from './pages';
import { TariffFormPage } from './TariffForm';
import { CyclesPage } from './CyclesPage';

function BillingReportPage() {
  return (
    <ReportScreen
      title="Billing report"
      report={billingReport}
      exportContract={billingExport}
      groups={BILLING_GROUPS}
      defaultPeriod="month"
      columns={[
        { key: 'bills', header: 'Bills' },
        { key: 'consumption', header: 'Consumption' },
        { key: 'amount', header: 'Amount', money: true },
        { key: 'tax', header: 'Tax', money: true },
        { key: 'estimated', header: 'Estimated' },
        { key: 'exceptions', header: 'Exceptions' },
        { key: 'creditNotes', header: 'Credit notes' },
        { key: 'credited', header: 'Credited', money: true },
      ]}
    />
  );
}

export const billingEntry: FunctionEntry = {
  module: 'energy',
  key: 'energy.billing',
  label: 'Utility billing cycles',
  path: BILLING_PATH,
  icon: <IconFileInvoice size={18} stroke={1.6} />,
  permission: 'energy.billing:view',
  routes: [
    { path: BILLING_PATH, element: <RunsPage /> },
    { path: `${BILLING_PATH}/runs/:id`, element: <RunDetailPage /> },
    { path: `${BILLING_PATH}/bills`, element: <BillsPage /> },
    { path: `${BILLING_PATH}/bills/:id`, element: <BillDetailPage /> },
    { path: `${BILLING_PATH}/tariffs`, element: <TariffsPage /> },
    { path: `${BILLING_PATH}/tariffs/new`, element: <TariffFormPage /> },
    { path: `${BILLING_PATH}/cycles`, element: <CyclesPage /> },
    { path: `${BILLING_PATH}/report`, element: <BillingReportPage /> },
  ],
  quickActions: [
    { label: 'Billing runs', path: BILLING_PATH, shortcut: 'g b' },
    { label: 'Bills', path: `${BILLING_PATH}/bills` },
    { label: 'Tariffs', path: `${BILLING_PATH}/tariffs` },
    { label: 'Billing cycles', path: `${BILLING_PATH}/cycles` },
    { label: 'Billing report', path: `${BILLING_PATH}/report` },
  ],
};
