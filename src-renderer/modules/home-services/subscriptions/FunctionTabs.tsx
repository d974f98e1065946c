import { Tabs } from '@mantine/core';
import { IconAlarm, IconCash, IconChartBar, IconFileInvoice, IconListDetails, IconRepeat } from '@tabler/icons-react';
import { useLocation, useNavigate } from 'react-router';
import { SUB_BASE } from '../packages/shared';

const SCREENS = [
  { path: SUB_BASE, label: 'Subscriptions', icon: <IconRepeat size={16} /> },
  { path: `${SUB_BASE}/pay`, label: 'Take payment', icon: <IconCash size={16} /> },
  { path: `${SUB_BASE}/dunning`, label: 'Dunning queue', icon: <IconAlarm size={16} /> },
  { path: `${SUB_BASE}/invoices`, label: 'Invoices', icon: <IconFileInvoice size={16} /> },
  { path: `${SUB_BASE}/plans`, label: 'Plans', icon: <IconListDetails size={16} /> },
  { path: `${SUB_BASE}/reports`, label: 'Reports', icon: <IconChartBar size={16} /> },
];

/** The function's screens one click apart; a subscription's detail belongs to the first tab. */
export function FunctionTabs() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active = [...SCREENS].reverse().find((s) => (s.path === SUB_BASE ? true : pathname.startsWith(s.path)))?.path ?? SUB_BASE;
  return (
    <Tabs value={active} onChange={(value) => value && navigate(value)} mb="md">
      <Tabs.List>
        {SCREENS.map((screen) => (
          <Tabs.Tab key={screen.path} value={screen.path} leftSection={screen.icon}>
            {screen.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
