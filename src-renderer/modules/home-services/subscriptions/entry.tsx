import { IconRepeat } from '@tabler/icons-react';
import type { FunctionEntry } from '../../registry';
import { PageHeader } from '../../../components';
import { FunctionReports } from '../packages/ReportsTab';
import { SUB_BASE } from '../packages/shared';
import { DunningPage, PayPage } from './CounterPages';
import { FunctionTabs } from './FunctionTabs';
import { InvoiceDetailPage, InvoicesListPage } from './InvoicesPages';
import { PlanDetailPage, PlanFormPage, PlansListPage } from './PlansPages';
import { SignUpPage, SubscriptionDetailPage, SubscriptionsListPage } from './SubscriptionsPages';

function ReportsPage() {
  return (
    <>
      <PageHeader title="Subscription reports" subtitle="Active, new, churned and paused; MRR and its movement; invoices and collections; dunning steps." />
      <FunctionTabs />
      <FunctionReports functionKey="homeServices.subscriptions" />
    </>
  );
}

/** Subscription-based service billing: subscriptions, the counter payment, the dunning queue, invoices, plans and reports. */
export const subscriptionsEntry: FunctionEntry = {
  module: 'homeServices',
  key: 'homeServices.subscriptions',
  label: 'Subscription-based service billing',
  path: SUB_BASE,
  icon: <IconRepeat size={18} stroke={1.6} />,
  permission: 'homeServices.subscriptions:view',
  routes: [
    { path: SUB_BASE, element: <SubscriptionsListPage /> },
    { path: `${SUB_BASE}/new`, element: <SignUpPage /> },
    { path: `${SUB_BASE}/pay`, element: <PayPage /> },
    { path: `${SUB_BASE}/dunning`, element: <DunningPage /> },
    { path: `${SUB_BASE}/invoices`, element: <InvoicesListPage /> },
    { path: `${SUB_BASE}/invoices/:id`, element: <InvoiceDetailPage /> },
    { path: `${SUB_BASE}/plans`, element: <PlansListPage /> },
    { path: `${SUB_BASE}/plans/new`, element: <PlanFormPage /> },
    { path: `${SUB_BASE}/plans/:id`, element: <PlanDetailPage /> },
    { path: `${SUB_BASE}/reports`, element: <ReportsPage /> },
    { path: `${SUB_BASE}/:id`, element: <SubscriptionDetailPage /> },
  ],
  quickActions: [
    { label: 'Take a subscription payment', path: `${SUB_BASE}/pay`, shortcut: 'g l' },
    { label: 'Sign up a customer', path: `${SUB_BASE}/new` },
    { label: 'Due for a dunning step', path: `${SUB_BASE}/dunning?dueOnly=1` },
    { label: 'Subscription reports', path: `${SUB_BASE}/reports` },
  ],
};
