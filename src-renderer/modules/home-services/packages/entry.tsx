import { IconTicket } from '@tabler/icons-react';
import type { FunctionEntry } from '../../registry';
import { PageHeader } from '../../../components';
import { CounterPage } from './CounterPage';
import { CustomerPackagesPage } from './CustomerPage';
import { FunctionTabs } from './FunctionTabs';
import { HoldingDetailPage, HoldingsListPage, RedemptionsPage } from './HoldingsPages';
import { FunctionReports } from './ReportsTab';
import { PKG_BASE } from './shared';
import { TypeDetailPage, TypeFormPage, TypesListPage } from './TypesPages';

function ReportsPage() {
  return (
    <>
      <PageHeader title="Package reports" subtitle="Daily, weekly or monthly, with drilldowns and Excel export." />
      <FunctionTabs />
      <FunctionReports functionKey="homeServices.packages" />
    </>
  );
}

/** Service package billing: packages held, the sale counter, redemptions, the catalogue and reports. */
export const packagesEntry: FunctionEntry = {
  module: 'homeServices',
  key: 'homeServices.packages',
  label: 'Service package billing',
  path: PKG_BASE,
  icon: <IconTicket size={18} stroke={1.6} />,
  permission: 'homeServices.packages:view',
  routes: [
    { path: PKG_BASE, element: <HoldingsListPage /> },
    { path: `${PKG_BASE}/counter`, element: <CounterPage /> },
    { path: `${PKG_BASE}/holdings/:id`, element: <HoldingDetailPage /> },
    { path: `${PKG_BASE}/customers/:customerId`, element: <CustomerPackagesPage /> },
    { path: `${PKG_BASE}/redemptions`, element: <RedemptionsPage /> },
    { path: `${PKG_BASE}/types`, element: <TypesListPage /> },
    { path: `${PKG_BASE}/types/new`, element: <TypeFormPage /> },
    { path: `${PKG_BASE}/types/:id`, element: <TypeDetailPage /> },
    { path: `${PKG_BASE}/reports`, element: <ReportsPage /> },
  ],
  quickActions: [
    { label: 'Sell a package', path: `${PKG_BASE}/counter`, shortcut: 'g k' },
    { label: 'Packages expiring soon', path: `${PKG_BASE}?status=active&expiringSoon=1` },
    { label: 'Refused redemptions', path: `${PKG_BASE}/redemptions?outcome=refused` },
    { label: 'Package reports', path: `${PKG_BASE}/reports` },
  ],
};
